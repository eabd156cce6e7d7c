/**
 * Bench section: the long-running Engine (what the tray app runs) on the bench history: time to
 * the first Snapshot, append-to-Snapshot latency, CPU while idle (it must not poll), and heap.
 * The appended lines are removed again afterwards (the file is restored to its size before).
 */
import fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ACTIVE_PREFIX } from '../generate.mjs';
import { median } from '../lib/measure.mjs';

const APPENDS = 20;
/** Idle time measured, in 5 s windows: V8's memory reducer runs in the first ~15 s after activity. */
const IDLE_MS = 35_000;

function activeTranscript(dataDir) {
  const projects = path.join(dataDir, 'projects');
  for (const dir of fs.readdirSync(projects).filter((name) => name.startsWith(ACTIVE_PREFIX))) {
    const file = fs.readdirSync(path.join(projects, dir)).find((name) => name.endsWith('.jsonl'));
    if (file) return path.join(projects, dir, file);
  }
  return null;
}

const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)];

/** @param {{root: string, dataDir: string, log: (s: string) => void}} ctx */
export async function engineSection(ctx) {
  const { root, dataDir, log } = ctx;
  const target = activeTranscript(dataDir);
  const failures = [];
  if (!target) return { name: 'engine', markdown: '## Engine\n\nNo active transcript found.', failures: ['engine: no active transcript'], disagreements: [], rows: [] };
  const size = fs.statSync(target).size;
  log(`engine: starting the Engine on ${dataDir}, ${APPENDS} appends to ${path.basename(target)}, ${IDLE_MS} ms idle`);
  const run = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'test/bench/engine-probe.mjs'), dataDir, target, String(APPENDS), String(IDLE_MS)], { encoding: 'utf8', timeout: 120_000 });
  fs.truncateSync(target, size);
  let r;
  try {
    r = JSON.parse(run.stdout.trim().split('\n').pop() ?? '');
  } catch {
    failures.push(`engine probe failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return { name: 'engine', markdown: `## Engine\n\nThe probe failed: ${run.stderr.slice(-500)}`, failures, disagreements: [], rows: [] };
  }
  const settleWindows = Math.ceil(15_000 / r.idleWindowMs);
  const settling = r.idleWindowsCpuMs.slice(0, settleWindows);
  const steady = r.idleWindowsCpuMs.slice(settleWindows);
  const rows = [
    ['start: first Snapshot and watcher ready on 2,000 files', `${r.startMs.toFixed(0)} ms`, ''],
    ['appended line -> new Snapshot, median', `${median(r.latencies).toFixed(1)} ms`, 'target < 100 ms'],
    ['appended line -> new Snapshot, p95', `${p95(r.latencies).toFixed(1)} ms`, `${r.latencies.length} appends; includes the 25 ms debounce`],
    ['CPU while idle, per 5 s window after the first 15 s (median, max)', `${median(steady).toFixed(1)} ms, ${Math.max(...steady).toFixed(1)} ms`, 'no polling: ~0 expected'],
    ['CPU while idle, first 15 s after the appends, per 5 s', `${settling.map((ms) => ms.toFixed(1)).join(' + ')} ms`, "mostly V8's memory reducer (full GCs once allocation stops)"],
    ['heap used after GC', `${r.heapMb.toFixed(1)} MB`, `RSS ${r.rssMb.toFixed(0)} MB`],
  ];
  const markdown = [
    '## Engine (what the tray app runs): `Engine` on the same history',
    '',
    '| measure | value | note |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  return { name: 'engine', markdown, failures, disagreements: [], rows };
}
