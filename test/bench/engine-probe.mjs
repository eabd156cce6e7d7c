#!/usr/bin/env node
/**
 * Runs the real Engine (dist/) on a config root and reports, as one JSON line on stdout:
 * the first Snapshot's time, the latency from appending a transcript line to the Snapshot that
 * counts it (N appends), the CPU used while idle (no file changes, per 5 s window) and the heap
 * after a GC.
 * Run by test/bench/sections/engine.mjs in its own process (node --expose-gc), so these figures
 * are the Engine's own.
 *   node --expose-gc test/bench/engine-probe.mjs DATA_DIR TRANSCRIPT_TO_APPEND_TO APPENDS IDLE_MS
 */
import fs from 'node:fs';
import { Engine } from '../../dist/main/core/engine.js';
import { loadSettings } from '../../dist/main/core/settings.js';

const [dataDir, target, appendsText = '20', idleText = '5000'] = process.argv.slice(2);
const appends = Number(appendsText);
const idleMs = Number(idleText);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const IDLE_WINDOW_MS = 5000;

function line(i) {
  const id = `msg_bench_${Date.now()}_${i}`;
  return `${JSON.stringify({
    parentUuid: null, isSidechain: false, userType: 'external', cwd: '/home/dev/code/active-app', sessionId: 'bench-probe',
    version: '2.1.212', gitBranch: 'main', type: 'assistant', uuid: `u-${id}`, timestamp: new Date().toISOString(), requestId: `req_${id}`,
    message: { id, type: 'message', role: 'assistant', model: 'claude-opus-4-6', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn',
      usage: { input_tokens: 3, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } } },
  })}\n`;
}

const t0 = performance.now();
const engine = new Engine({ roots: [dataDir], loadSettings: () => loadSettings(dataDir), persist: false });
let latest = await engine.start();
const startMs = performance.now() - t0;
engine.on('snapshot', (s) => { latest = s; });

const latencies = [];
for (let i = 0; i < appends; i += 1) {
  const before = latest.quota.currentWindow?.messages ?? 0;
  const seen = new Promise((resolve) => {
    const on = (s) => {
      if ((s.quota.currentWindow?.messages ?? 0) > before) { engine.off('snapshot', on); resolve(); }
    };
    engine.on('snapshot', on);
  });
  const t = performance.now();
  fs.appendFileSync(target, line(i));
  await seen;
  latencies.push(performance.now() - t);
  await sleep(100);
}

await sleep(500);
globalThis.gc?.();
// Idle: consecutive windows with no file changes. The first seconds after activity include V8's
// memory reducer (a few full GCs 8-12 s after allocation stops), which is not the Engine working;
// the windows after it show whether anything polls.
const idleWindowsCpuMs = [];
const idle0 = performance.now();
for (let left = idleMs; left > 0; left -= IDLE_WINDOW_MS) {
  const cpu0 = process.cpuUsage();
  await sleep(Math.min(IDLE_WINDOW_MS, left));
  const cpu = process.cpuUsage(cpu0);
  idleWindowsCpuMs.push((cpu.user + cpu.system) / 1000);
}
globalThis.gc?.();
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
await engine.stop();
process.stdout.write(`${JSON.stringify({ startMs, latencies, idleMs: performance.now() - idle0, idleWindowMs: IDLE_WINDOW_MS, idleWindowsCpuMs, heapMb, rssMb: process.memoryUsage().rss / 2 ** 20 })}\n`);
