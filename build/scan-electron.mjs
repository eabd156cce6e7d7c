// The Electron security scan run by `npm test` (script scan:electron): @doyensec/electronegativity
// over the main process (main/app) and the popover (renderer/ sources and page), failing on any
// HIGH or MEDIUM finding, or any file it cannot parse, that .electronegativity-allowlist.json does
// not explain. Both trees are scanned together so the global checks (CSP, permission handler,
// navigation limits) see the page and the window that loads it. `--root DIR` scans another tree
// laid out the same way (the tests check that a bad window fails the scan).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// electronegativity fetches translations and Electron's release notes over the network (the latter
// only when it scans a package.json, which it is not given); the scan must not depend on, or wait
// seconds for, a network it does not need: those requests fail at once.
const electronegativityDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const gotPath = createRequire(path.join(electronegativityDir, 'dist', 'runner.js')).resolve('got');
const offline = () => Promise.reject(new Error('offline: the scan makes no network requests'));
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline, get: offline }) };
const run = require('@doyensec/electronegativity');
const electronVersion = require('electron/package.json').version;

const ALLOWLIST_NAME = '.electronegativity-allowlist.json';
/** What is scanned: sources, not build output (renderer/dist is the bundle of renderer/src). */
const SOURCES = [
  { dir: 'main/app', include: (name) => /\.(ts|mjs|js)$/.test(name) },
  { dir: 'renderer', include: (name) => /\.(ts|js|html)$/.test(name), skip: ['dist', 'node_modules'] },
];

function copyTree(from, to, include, skip = []) {
  if (!fs.existsSync(from)) return 0;
  let count = 0;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (skip.includes(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) count += copyTree(source, target, include, []);
    else if (entry.isFile() && include(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
      count += 1;
    }
  }
  return count;
}

function readAllowlist(root) {
  const file = path.join(root, ALLOWLIST_NAME);
  if (!fs.existsSync(file)) return [];
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(raw.allow)) throw new Error(`${file}: expected {"allow": [...]}`);
  for (const entry of raw.allow) {
    if (typeof entry.check !== 'string' || typeof entry.reason !== 'string' || entry.reason.trim().length < 20) {
      throw new Error(`${file}: every entry needs "check" and a "reason" that explains it: ${JSON.stringify(entry)}`);
    }
  }
  return raw.allow;
}

function matches(entry, finding) {
  return entry.check === finding.check && (entry.file === undefined || entry.file === finding.file);
}

export async function scan(root = rootDir) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-electronegativity-'));
  try {
    let files = 0;
    for (const source of SOURCES) files += copyTree(path.join(root, source.dir), path.join(work, source.dir), source.include, source.skip);
    // electronegativity reports progress and its translation fetch on stdout: keep ours clean.
    const log = console.log;
    console.log = () => {};
    let result;
    try {
      result = await run({ input: work, isRelative: true, isVerbose: false, customScan: [], excludeFromScan: [], electronVersionOverride: electronVersion, parserPlugins: [] }, false);
    } finally {
      console.log = log;
    }
    const findings = result.issues
      .filter((issue) => issue.severity.value >= 2)
      .map((issue) => ({ check: issue.id, severity: issue.severity.name, confidence: issue.confidence.name, file: issue.file === 'N/A' ? undefined : issue.file.split(path.sep).join('/'), line: issue.location.line, description: issue.description }));
    const parseErrors = result.errors.filter((error) => !error.tolerable).map((error) => `${path.relative(work, error.file)}: ${error.message}`);
    return { files, findings, parseErrors };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootArg = process.argv.indexOf('--root');
  const root = rootArg > 0 && process.argv[rootArg + 1] ? path.resolve(process.argv[rootArg + 1]) : rootDir;
  const allow = readAllowlist(root);
  const { files, findings, parseErrors } = await scan(root);
  const unexplained = findings.filter((finding) => !allow.some((entry) => matches(entry, finding)));
  const unused = allow.filter((entry) => !findings.some((finding) => matches(entry, finding)));
  for (const error of parseErrors) console.error(`electronegativity could not parse ${error}`);
  for (const f of unexplained) console.error(`${f.severity} ${f.check} ${f.file ?? '(global)'}${f.line ? `:${f.line}` : ''}: ${f.description}`);
  for (const entry of unused) console.error(`note: allow-list entry ${entry.check}${entry.file ? ` (${entry.file})` : ''} matched nothing; remove it`);
  if (unexplained.length > 0 || parseErrors.length > 0) {
    console.error(`scan:electron: ${unexplained.length} HIGH/MEDIUM finding(s) not explained in ${ALLOWLIST_NAME}, ${parseErrors.length} unparsable file(s)`);
    process.exit(1);
  }
  console.log(`scan:electron: ${files} files, Electron ${electronVersion}: no unexplained HIGH or MEDIUM findings (${findings.length} explained in ${ALLOWLIST_NAME})`);
}
