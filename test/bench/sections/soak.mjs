/**
 * Bench section: soak (issue 15.1). The Engine (what the tray app runs) and `cco status --watch`
 * each follow a transcript that grows by 100,000 lines, time-compressed: bursts of BURST lines
 * written as fast as the follower keeps up (each burst is a separate read and recompute, like
 * Claude Code's writes). Reported per 10,000 lines after a full GC: RSS, heap used, external and
 * array-buffer memory; then the CPU used in 10 s of idle. Target: after the first 10,000 lines
 * (warm-up), RSS grows by less than 10 MiB per 100,000 lines; idle CPU near zero.
 * Needs no generated history (`--only soak`); a temporary config root; ~3-5 minutes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';

const LINES = 100_000;
const BURST = Number(process.env.SOAK_BURST ?? 100);
const IDLE_MS = 25_000;
const WARM_UP_LINES = 10_000;
const TARGET_MIB_PER_100K = 10;
/** Idle CPU per 10 s at most this (a follower that polls or spins shows far more). */
const TARGET_IDLE_CPU_MS = 100;
const MiB = 2 ** 20;

const mib = (bytes) => (bytes / MiB).toFixed(1);

function runProbe(root, mode, log) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cco-soak-${mode}-`));
  try {
    log(`soak: ${mode} following ${LINES.toLocaleString('en-US')} lines in bursts of ${BURST}`);
    const run = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'test/bench/soak-probe.mjs'), mode, dir, String(LINES), String(BURST), String(IDLE_MS)], {
      encoding: 'utf8',
      timeout: 600_000,
    });
    try {
      return { result: JSON.parse(run.stdout.trim().split('\n').pop() ?? '') };
    } catch {
      return { error: `${mode} probe failed: ${(run.stderr || String(run.error ?? run.signal)).trim().split('\n').slice(-3).join(' | ')}` };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** RSS growth after warm-up, scaled to 100,000 lines. */
function growthPer100k(rows) {
  const warm = rows.find((row) => row.lines >= WARM_UP_LINES);
  const last = rows.at(-1);
  if (!warm || !last || last.lines <= warm.lines) return null;
  return ((last.rss - warm.rss) / MiB) * (100_000 / (last.lines - warm.lines));
}

/** @param {{root: string, log: (s: string) => void}} ctx */
export async function soakSection(ctx) {
  const { root, log } = ctx;
  const failures = [];
  const disagreements = [];
  const parts = [
    '## Soak: a transcript growing by 100,000 lines (issue 15.1)',
    '',
    `\`node test/bench/run.mjs --only soak\`. One session's transcript (prompt, tool call, tool result of ~1.9 KB, answer, a compaction every 2,000 lines; ~1.1 KB a line on average) ` +
      `grows by ${LINES.toLocaleString('en-US')} lines in bursts of ${BURST}, each written once the follower has counted the last (time-compressed). ` +
      `Memory after a full GC per 10,000 lines; target: RSS growth after the first ${WARM_UP_LINES.toLocaleString('en-US')} lines < ${TARGET_MIB_PER_100K} MiB per 100,000 lines, idle CPU near zero.`,
  ];
  const rows = [];
  for (const [mode, title] of [['engine', 'Engine (the tray app)'], ['watch', '`cco status --watch`']]) {
    const { result, error } = runProbe(root, mode, log);
    if (error) {
      failures.push(error);
      parts.push('', `### ${title}`, '', `The probe failed: ${error}`);
      continue;
    }
    const growth = growthPer100k(result.rows);
    const verdict = growth !== null && growth < TARGET_MIB_PER_100K ? 'met' : 'MISSED';
    const idleVerdict = result.idleCpuMs <= TARGET_IDLE_CPU_MS ? 'met' : 'MISSED';
    if (verdict !== 'met') disagreements.push(`${mode}: RSS grew ${growth?.toFixed(1)} MiB per 100,000 lines after warm-up (target < ${TARGET_MIB_PER_100K})`);
    if (idleVerdict !== 'met') disagreements.push(`${mode}: ${result.idleCpuMs.toFixed(0)} ms CPU in ${result.idleMeasuredMs / 1000} s idle`);
    rows.push({ mode, growth, idleCpuMs: result.idleCpuMs, rows: result.rows });
    parts.push(
      '',
      `### ${title}`,
      '',
      '| lines | RSS MiB | heap used MiB | heap total MiB | external MiB | arrayBuffers MiB |',
      '|---:|---:|---:|---:|---:|---:|',
      ...result.rows.map((row) => `| ${row.lines.toLocaleString('en-US')} | ${mib(row.rss)} | ${mib(row.heapUsed)} | ${mib(row.heapTotal)} | ${mib(row.external)} | ${mib(row.arrayBuffers)} |`),
      '',
      `RSS growth after warm-up: **${growth === null ? '?' : growth.toFixed(1)} MiB per 100,000 lines** (${verdict}). ` +
        `Idle: **${result.idleCpuMs.toFixed(0)} ms CPU in ${result.idleMeasuredMs / 1000} s** (${idleVerdict}), RSS ${mib(result.idleMemory.rss)} MiB. ` +
        `${(result.bytes / 1e6).toFixed(0)} MB followed in ${(result.followMs / 1000).toFixed(0)} s` +
        `${result.stalls ? `; ${result.stalls} write(s) went unseen for 3 s and were caught after a touch of the file's mtime` : ''}.`,
    );
  }
  return { name: 'soak', markdown: parts.join('\n'), failures, disagreements, rows };
}
