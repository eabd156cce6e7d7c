#!/usr/bin/env node
/**
 * `npm run bench`: cco vs ccusage on a synthetic 2.1 GB Claude Code history.
 *
 *   node test/bench/run.mjs [--runs 5] [--size-gb 2.1] [--files 2000] [--seed 1]
 *                           [--data DIR] [--results FILE] [--cco PATH] [--legacy-active]
 *
 * --cco: the cco launcher to benchmark (default bin/cco.js); --legacy-active: write the active
 * window like Claude Code < 2.1.97 (placeholder output_tokens on the earlier lines of a response),
 * which makes a first-copy dedup visible in the token comparison.
 *
 * 1. Ensures test/bench/data/ (gitignored): the old history is reused when bench-meta.json says it
 *    was generated with the same parameters on the same UTC day, else regenerated (~1 min); the
 *    active window is always rewritten relative to the real clock (ccusage has no --now option).
 * 2. Runs every section in `sections` and prints/writes their markdown (test/bench/results.md).
 * Exit code: 1 when a benchmarked command failed to run; disagreements are findings, reported
 * loudly, not failures.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHistory, historyIsFresh, readMeta, writeActiveWindow } from './generate.mjs';
import { hasGnuTime } from './lib/measure.mjs';
import { claudeCodeSideSection } from './sections/claude-code-side.mjs';
import { engineSection } from './sections/engine.mjs';
import { featuresSection, popoverPaintSection } from './sections/features.mjs';
import { quotaWindowSection } from './sections/quota-window.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');

/**
 * Bench sections, run in order. Each is `async (ctx) => ({name, markdown, failures: string[],
 * disagreements: string[], rows})` where ctx = {root, dataDir, meta, runs, cco, log}. Add new ones here.
 */
export const sections = [quotaWindowSection, engineSection, claudeCodeSideSection, featuresSection, popoverPaintSection];

/** The settings cco reads from the config root: hour alignment is how ccusage starts its blocks. */
export const BENCH_SETTINGS = { plan: 'pro', windowAlignment: 'hour' };

function parseArgs(argv) {
  const o = {
    runs: 5, totalBytes: 2.1e9, files: 2000, seed: 1, dataDir: path.join(HERE, 'data'), results: path.join(HERE, 'results.md'),
    cco: path.join(ROOT, 'bin/cco.js'), legacyActive: false,
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

export async function runBench(opts) {
  const meta = await prepareData(opts);
  const ccusageVersion = version(path.join(ROOT, 'node_modules/.bin/ccusage'), ['--version']);
  log(`ccusage: ${ccusageVersion}`);
  const ctx = { root: ROOT, dataDir: opts.dataDir, meta, runs: opts.runs, cco: opts.cco ?? path.join(ROOT, 'bin/cco.js'), log };
  const parts = [];
  const failures = [];
  const disagreements = [];
  for (const section of sections) {
    const r = await section(ctx);
    parts.push(r.markdown);
    failures.push(...r.failures);
    disagreements.push(...r.disagreements.map((d) => `${r.name}: ${d}`));
  }
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
  const text = [...header, ...parts, ''].join('\n');
  process.stdout.write(`\n${text}`);
  writeFileSync(opts.results, text);
  log(`results written to ${path.relative(ROOT, opts.results) || opts.results}`);
  if (disagreements.length) log(`\n!!!!! DISAGREEMENT: ${disagreements.join('; ')}`);
  if (failures.length) log(`\n!!!!! FAILED COMMANDS: ${failures.join('; ')}`);
  return { failures, disagreements };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { failures } = await runBench(parseArgs(process.argv.slice(2)));
  process.exitCode = failures.length ? 1 : 0;
}
