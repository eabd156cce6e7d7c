/**
 * Bench section: soak (issue 15.1). The Engine (what the tray app runs) and `cco status --watch`
 * each follow a transcript that grows by 100,000 lines, time-compressed: bursts of BURST lines
 * written as fast as the follower keeps up (each burst is a separate read and recompute, like
 * Claude Code's writes). Two timelines:
 * - compressed: every line stamped now, so all 100,000 fall in ONE 5-hour window, whose figures
 *   need each of its responses (a stress case: no user writes 100,000 lines in 5 hours);
 * - a user's pace: lines stamped 2 s apart with an 8-hour night every 5,000 (7 days), the follower
 *   on a clock that follows them (soak-probe.mjs SOAK_LINE_MS), so the lines span many windows.
 * Reported per 10,000 lines after a full GC and a settle (V8 unmaps freed pages in the background):
 * RSS (and where it lives), heap used, external and array-buffer memory; then the CPU used in 30 s
 * of idle. Target: after the first 20,000 lines (warm-up), RSS grows by less than 10 MiB per
 * 100,000 lines at a user's pace; the compressed run reports what the one window keeps per line.
 * Needs no generated history (`--only soak`); temporary config roots; ~15 minutes.
 * The probes' stderr (engine errors, the watch child's own stderr) goes to test/bench/soak-stderr.log.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';

const LINES = 100_000;
const BURST = Number(process.env.SOAK_BURST ?? 100);
/** 15 s for V8's memory reducer to run after the last write, then 30 s measured. */
const IDLE_MS = 45_000;
const IDLE_MEASURED_MS = 30_000;
const SETTLE_MS = 1000;
/**
 * Warm-up: V8 sizes its young generation to the allocation rate in the first ~20,000 lines (heap
 * total 24 -> 40 MiB from 10,000 to 20,000 lines with heap used flat, 2026-11-30), a one-time
 * cost, not retained data. Growth is also shown from 10,000 lines, the first runs' warm-up.
 */
const WARM_UP_LINES = 20_000;
const EARLY_WARM_UP_LINES = 10_000;
const TARGET_MIB_PER_100K = 10;
/** Idle CPU per 30 s at most this (a follower that polls or spins shows far more). */
const TARGET_IDLE_CPU_MS = 300;
const MiB = 2 ** 20;
/** A user's pace: a line every 2 s, a night of 8 h after every 5,000 lines. */
const PACE = { SOAK_LINE_MS: '2000', SOAK_GAP_EVERY: '5000', SOAK_GAP_MS: String(8 * 3_600_000) };

const mib = (bytes) => (bytes / MiB).toFixed(1);

function runProbe(root, mode, env, log, stderrLog) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cco-soak-${mode}-`));
  try {
    log(`soak: ${mode} following ${LINES.toLocaleString('en-US')} lines in bursts of ${BURST}${env.SOAK_LINE_MS ? ' at a user\'s pace' : ' in one window'}`);
    const run = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'test/bench/soak-probe.mjs'), mode, dir, String(LINES), String(BURST), String(IDLE_MS)], {
      encoding: 'utf8',
      timeout: 1_200_000,
      env: { ...process.env, SOAK_SETTLE_MS: String(SETTLE_MS), SOAK_IDLE_MEASURED_MS: String(IDLE_MEASURED_MS), ...env },
    });
    fs.appendFileSync(stderrLog, `---- ${mode}${env.SOAK_LINE_MS ? ' (a user\'s pace)' : ' (one window)'} ${new Date().toISOString()}\n${run.stderr ?? ''}`);
    try {
      return { result: JSON.parse(run.stdout.trim().split('\n').pop() ?? '') };
    } catch {
      return { error: `${mode} probe failed: ${(run.stderr || String(run.error ?? run.signal)).trim().split('\n').slice(-3).join(' | ')}` };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Growth of `field` from `fromLines` on, scaled to 100,000 lines (bytes): the least-squares slope
 * over the rows, so one noisy reading at the end (RSS moves by ±10 MiB between readings as pages
 * come and go) does not decide it; `endpoints` gives last minus first, as the first runs did.
 */
function growthPer100k(rows, field, fromLines = WARM_UP_LINES, endpoints = false) {
  const used = rows.filter((row) => row.lines >= fromLines);
  if (used.length < 2) return null;
  const first = used[0];
  const last = used.at(-1);
  if (endpoints) return (last[field] - first[field]) * (100_000 / (last.lines - first.lines));
  const meanX = used.reduce((n, row) => n + row.lines, 0) / used.length;
  const meanY = used.reduce((n, row) => n + row[field], 0) / used.length;
  let num = 0;
  let den = 0;
  for (const row of used) {
    num += (row.lines - meanX) * (row[field] - meanY);
    den += (row.lines - meanX) ** 2;
  }
  return (num / den) * 100_000;
}

function table(result) {
  return [
    '| lines | RSS MiB | RSS right after the GC | of which malloc `[heap]` | other anonymous (V8, arenas) | files | heap used MiB | heap total MiB | external MiB | arrayBuffers MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...result.rows.map(
      (row) =>
        `| ${row.lines.toLocaleString('en-US')} | ${mib(row.rss)} | ${mib(row.rssAtGc)} | ${mib(row.brk)} | ${mib(row.anon)} | ${mib(row.file)} | ${mib(row.heapUsed)} | ${mib(row.heapTotal)} | ${mib(row.external)} | ${mib(row.arrayBuffers)} |`,
    ),
  ];
}

/** @param {{root: string, log: (s: string) => void}} ctx */
export async function soakSection(ctx) {
  const { root, log } = ctx;
  const failures = [];
  const disagreements = [];
  const stderrLog = path.join(root, 'test/bench/soak-stderr.log');
  fs.writeFileSync(stderrLog, '');
  const parts = [
    '## Soak: a transcript growing by 100,000 lines (issue 15.1)',
    '',
    `\`node test/bench/run.mjs --only soak\`. One session's transcript (prompt, tool call, tool result of ~1.9 KB, answer, a compaction every 2,000 lines; ~1.1 KB a line on average) ` +
      `grows by ${LINES.toLocaleString('en-US')} lines in bursts of ${BURST}, each written once the follower has read the last (time-compressed: minutes of real time). ` +
      `Memory after a full GC and a ${SETTLE_MS / 1000} s settle (a second GC after it) per 10,000 lines, RSS split by /proc/PID/smaps; then the CPU used in ${IDLE_MEASURED_MS / 1000} s of idle, after ${(IDLE_MS - IDLE_MEASURED_MS) / 1000} s without writes. ` +
      `Two timelines: **one window** (every line stamped now: all ${LINES.toLocaleString('en-US')} in one 5-hour window) and **a user's pace** (lines stamped 2 s apart, an 8-hour night every 5,000 lines: 7 days, the follower on a clock that follows the lines). ` +
      `Target (issue 15.1): after warm-up (the first ${WARM_UP_LINES.toLocaleString('en-US')} lines, while V8 sizes its young generation: heap total grows, heap used does not), RSS grows by less than ${TARGET_MIB_PER_100K} MiB per 100,000 lines, judged at a user's pace: ` +
      'in one window the figures need every response of that window (deduplicated by message id across files), so what it keeps grows with the lines written in 5 hours and is reported as bytes per line; ' +
      'no user writes 100,000 lines in 5 hours, and each window\'s responses are dropped once no figure reaches them. Idle CPU near zero in both.',
  ];
  const rows = [];
  const runs = [
    ['engine', 'Engine (the tray app), one window', {}],
    ['watch', '`cco status --watch`, one window', {}],
    ['engine', 'Engine (the tray app), a user\'s pace', PACE],
    ['watch', '`cco status --watch`, a user\'s pace', PACE],
  ];
  for (const [mode, title, env] of runs) {
    const paced = Boolean(env.SOAK_LINE_MS);
    const { result, error } = runProbe(root, mode, env, log, stderrLog);
    if (error) {
      failures.push(error);
      parts.push('', `### ${title}`, '', `The probe failed: ${error}`);
      continue;
    }
    const growth = growthPer100k(result.rows, 'rss');
    const heapGrowth = growthPer100k(result.rows, 'heapUsed');
    const growthAtGc = growthPer100k(result.rows, 'rssAtGc');
    const fmt = (bytes) => (bytes === null ? '?' : (bytes / MiB).toFixed(1));
    const endpoints = growthPer100k(result.rows, 'rss', WARM_UP_LINES, true);
    const early = growthPer100k(result.rows, 'rss', EARLY_WARM_UP_LINES, true);
    const growthMiB = growth === null ? null : growth / MiB;
    const idleVerdict = result.idleCpuMs <= TARGET_IDLE_CPU_MS ? 'met' : 'MISSED';
    let verdict = 'reported';
    if (paced) {
      verdict = growthMiB !== null && growthMiB < TARGET_MIB_PER_100K ? 'met' : 'MISSED';
      if (verdict !== 'met') disagreements.push(`${mode} at a user's pace: RSS grew ${growthMiB?.toFixed(1)} MiB per 100,000 lines after warm-up (target < ${TARGET_MIB_PER_100K})`);
    }
    if (idleVerdict !== 'met') disagreements.push(`${mode}${paced ? ' at a user\'s pace' : ''}: ${result.idleCpuMs.toFixed(0)} ms CPU in ${result.idleMeasuredMs / 1000} s idle`);
    if (result.stalls) disagreements.push(`${mode}${paced ? ' at a user\'s pace' : ''}: ${result.stalls} write(s) went unseen for 3 s: ${JSON.stringify(result.stallDetails)}`);
    rows.push({ mode, paced, growthMiB, heapBytesPerLine: heapGrowth === null ? null : heapGrowth / 100_000, idleCpuMs: result.idleCpuMs, stalls: result.stalls, rows: result.rows });
    parts.push(
      '',
      `### ${title}`,
      '',
      ...table(result),
      '',
      `RSS growth after the first ${WARM_UP_LINES.toLocaleString('en-US')} lines: **${fmt(growth)} MiB per 100,000 lines** (${verdict}; least squares over the readings; ` +
        `last minus first ${fmt(endpoints)}; read right after the GC ${fmt(growthAtGc)}; from ${EARLY_WARM_UP_LINES.toLocaleString('en-US')} lines, last minus first, as the first runs did: ${fmt(early)}). ` +
        `Heap used grows ${heapGrowth === null ? '?' : (heapGrowth / 100_000).toFixed(0)} bytes a line. ` +
        `Idle: **${result.idleCpuMs.toFixed(0)} ms CPU in ${result.idleMeasuredMs / 1000} s** (${idleVerdict}), RSS ${mib(result.idleMemory.rss)} MiB. ` +
        `${(result.bytes / 1e6).toFixed(0)} MB followed in ${(result.followMs / 1000).toFixed(0)} s; ` +
        `${result.stalls ? `${result.stalls} write(s) went unseen for 3 s and were caught after a touch of the file's mtime: ${JSON.stringify(result.stallDetails)}` : 'no write went unseen'}.`,
    );
  }
  return { name: 'soak', markdown: parts.join('\n'), failures, disagreements, rows };
}
