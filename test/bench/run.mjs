#!/usr/bin/env node
/**
 * `npm run bench`: cco vs ccusage on a synthetic 2.1 GB Claude Code history.
 *
 *   node test/bench/run.mjs [--runs 5] [--size-gb 2.1] [--files 2000] [--seed 1]
 *                           [--data DIR] [--results FILE] [--cco PATH] [--legacy-active]
 *                           [--only ID[,ID...]]
 *
 * --cco: the cco launcher to benchmark (default bin/cco.js); --legacy-active: write the active
 * window like Claude Code < 2.1.97 (placeholder output_tokens on the earlier lines of a response),
 * which makes a first-copy dedup visible in the token comparison. --only: run just these sections
 * (ids in SECTION_IDS) and replace their parts of the results file, keeping the rest; the history
 * is prepared only when one of them reads it.
 *
 * 1. Ensures test/bench/data/ (gitignored): the old history is reused when bench-meta.json says it
 *    was generated with the same parameters on the same UTC day, else regenerated (~1 min); the
 *    active window is always rewritten relative to the real clock (ccusage has no --now option).
 * 2. Runs every section in `sections` and prints/writes their markdown (test/bench/results.md).
 * Exit code: 1 when a benchmarked command failed to run; disagreements are findings, reported
 * loudly, not failures.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHistory, historyIsFresh, readMeta, writeActiveWindow } from './generate.mjs';
import { ensureCcusage } from './lib/ccusage.mjs';
import { hasGnuTime } from './lib/measure.mjs';
import { claudeCodeSideSection } from './sections/claude-code-side.mjs';
import { engineSection } from './sections/engine.mjs';
import { featuresSection, popoverPaintSection } from './sections/features.mjs';
import { longLinesSection } from './sections/long-lines.mjs';
import { quotaWindowSection } from './sections/quota-window.mjs';
import { soakSection } from './sections/soak.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');

/**
 * Bench sections, run in order. Each is `async (ctx) => ({name, markdown, failures: string[],
 * disagreements: string[], rows})` where ctx = {root, dataDir, meta, runs, cco, log}. Add new ones here.
 */
export const sections = [quotaWindowSection, engineSection, claudeCodeSideSection, featuresSection, popoverPaintSection, longLinesSection, soakSection];

/** Each section's id for --only, and whether it reads the generated history (test/bench/data). */
export const SECTION_IDS = new Map([
  [quotaWindowSection, { id: 'quota-window', needsData: true }],
  [engineSection, { id: 'engine', needsData: true }],
  [claudeCodeSideSection, { id: 'claude-code-side', needsData: false }],
  [featuresSection, { id: 'features', needsData: true }],
  [popoverPaintSection, { id: 'popover-paint', needsData: true }],
  [longLinesSection, { id: 'long-lines', needsData: false }],
  [soakSection, { id: 'soak', needsData: false }],
]);

/** The settings cco reads from the config root: hour alignment is how ccusage starts its blocks. */
export const BENCH_SETTINGS = { plan: 'pro', windowAlignment: 'hour' };

function parseArgs(argv) {
  const o = {
    runs: 5, totalBytes: 2.1e9, files: 2000, seed: 1, dataDir: path.join(HERE, 'data'), results: path.join(HERE, 'results.md'),
    cco: path.join(ROOT, 'bin/cco.js'), legacyActive: false, only: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--runs') o.runs = Number(v());
    else if (a === '--size-gb') o.totalBytes = Number(v()) * 1e9;
    else if (a === '--files') o.files = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--data') o.dataDir = path.resolve(v());
    else if (a === '--results') o.results = path.resolve(v());
    else if (a === '--cco') o.cco = path.resolve(v());
    else if (a === '--legacy-active') o.legacyActive = true;
    else if (a === '--only') o.only = v().split(',');
    else throw new Error(`unknown option ${a} (see the header of test/bench/run.mjs)`);
  }
  return o;
}

const log = (s) => process.stderr.write(`${s}\n`);

/** Generate what is missing or stale, rewrite the active window, write cco-settings.json. */
export async function prepareData({ dataDir, totalBytes, files, seed, legacyActive = false }) {
  const now = Date.now();
  if (historyIsFresh(dataDir, { totalBytes, files, now, seed })) {
    const h = readMeta(dataDir).history;
    log(`data: reusing history in ${path.relative(ROOT, dataDir) || dataDir} (${(h.bytes / 1e9).toFixed(2)} GB, ${h.files} files, day ${h.params.day})`);
  } else {
    log(`data: generating ${(totalBytes / 1e9).toFixed(2)} GB history, ${files} files into ${dataDir} ...`);
    await generateHistory({ dir: dataDir, totalBytes, files, now, seed, active: false, log });
  }
  const active = await writeActiveWindow({ dir: dataDir, now: Date.now(), seed, legacyStreaming: legacyActive });
  log(`data: active window rewritten: ${active.files.length} files, events ${active.firstUsageAt} .. ${active.lastEventAt}`);
  writeFileSync(path.join(dataDir, 'cco-settings.json'), `${JSON.stringify(BENCH_SETTINGS, null, 2)}\n`);
  return readMeta(dataDir);
}

function version(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    return `unavailable (${e instanceof Error ? e.message.split('\n')[0] : e})`;
  }
}

/** The results file with each `## ` part of `parts` put in place of the part with the same heading (or appended). */
function replaceParts(previous, parts) {
  let text = previous.replace(/\n*$/, '\n');
  for (const part of parts) {
    const heading = part.split('\n')[0];
    const at = text.indexOf(`${heading}\n`);
    if (at === -1) {
      text += `${part}\n`;
      continue;
    }
    const next = text.indexOf('\n## ', at + heading.length);
    text = `${text.slice(0, at)}${part}\n${next === -1 ? '' : text.slice(next + 1)}`;
  }
  return text;
}

export async function runBench(opts) {
  const only = opts.only ?? null;
  for (const id of only ?? []) {
    if (![...SECTION_IDS.values()].some((s) => s.id === id)) throw new Error(`unknown section ${id} (one of ${[...SECTION_IDS.values()].map((s) => s.id).join(', ')})`);
  }
  const chosen = sections.filter((section) => only === null || only.includes(SECTION_IDS.get(section)?.id));
  if (only !== null && !chosen.some((section) => SECTION_IDS.get(section)?.needsData)) {
    const ctx = { root: ROOT, dataDir: opts.dataDir, meta: null, runs: opts.runs, cco: opts.cco ?? path.join(ROOT, 'bin/cco.js'), log };
    return runSections(chosen, ctx, opts, (parts) => replaceParts(readFileSync(opts.results, 'utf8'), parts));
  }
  const meta = await prepareData(opts);
  // Installed on demand into a cache (lib/ccusage.mjs): it is not a dependency of the project.
  const ccusage = ensureCcusage(log);
  const ccusageVersion = version(ccusage, ['--version']);
  log(`ccusage: ${ccusageVersion}`);
  const ctx = { root: ROOT, dataDir: opts.dataDir, meta, runs: opts.runs, cco: opts.cco ?? path.join(ROOT, 'bin/cco.js'), ccusage, log };
  if (only !== null) return runSections(chosen, ctx, opts, (parts) => replaceParts(readFileSync(opts.results, 'utf8'), parts));
  return runSections(chosen, ctx, opts, (parts) => withHeader(parts, meta, ccusageVersion, opts));
}

async function runSections(chosen, ctx, opts, compose) {
  const parts = [];
  const failures = [];
  const disagreements = [];
  for (const section of chosen) {
    const r = await section(ctx);
    parts.push(r.markdown);
    failures.push(...r.failures);
    disagreements.push(...r.disagreements.map((d) => `${r.name}: ${d}`));
  }
  const text = compose(parts);
  process.stdout.write(`\n${text}`);
  writeFileSync(opts.results, text);
  log(`results written to ${path.relative(ROOT, opts.results) || opts.results}`);
  if (disagreements.length) log(`\n!!!!! DISAGREEMENT: ${disagreements.join('; ')}`);
  if (failures.length) log(`\n!!!!! FAILED COMMANDS: ${failures.join('; ')}`);
  return { failures, disagreements };
}

function withHeader(parts, meta, ccusageVersion, opts) {
  const h = meta.history;
  const header = [
    '# Benchmark results',
    '',
    `${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${ccusageVersion}. ` +
      `Data: \`node test/bench/generate.mjs\` seed ${h.params.seed}: ${(h.bytes / 1e9).toFixed(2)} GB in ${h.files} transcript files ` +
      `(${h.subagentFiles} sub-agent files, ${h.lines.total} lines, largest ${((h.largestFiles[0]?.bytes ?? 0) / 1e6).toFixed(0)} MB), 28 days, ` +
      `plus a live active window (${meta.active.files.length} files). Settings: \`${JSON.stringify(BENCH_SETTINGS)}\`.`,
    '',
    `Warm page cache: one unmeasured warm-up run of each command first; cold-cache runs were not measured. ` +
      `${opts.runs} alternating runs each; wall time measured around the child process, peak RSS from ${hasGnuTime() ? 'GNU time (max RSS of the child and its reaped descendants)' : '/proc VmHWM polling'}.`,
    '',
  ];
  return [...header, ...parts, ''].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { failures } = await runBench(parseArgs(process.argv.slice(2)));
  process.exitCode = failures.length ? 1 : 0;
}
