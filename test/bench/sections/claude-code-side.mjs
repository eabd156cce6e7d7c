/**
 * Bench section: what Claude Code runs inside the user's session. `cco hook` (every hook event)
 * and `cco statusline` (after every assistant message): per-call wall time over 50 runs each,
 * whole process included; then 8 concurrent hook writers appending 1,000 events each to one
 * sessions.jsonl, checked for lost or torn lines.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { median } from '../lib/measure.mjs';

const RUNS = 50;
const WRITERS = 8;
const EVENTS_PER_WRITER = 1000;

function runOnce(cmd, args, input) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, ms: Number(process.hrtime.bigint() - t0) / 1e6, stderr }));
    child.stdin.end(input);
  });
}

const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)];

/** @param {{root: string, log: (s: string) => void}} ctx */
export async function claudeCodeSideSection(ctx) {
  const { root, log } = ctx;
  const cco = path.join(root, 'bin/cco.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-bench-hooks-'));
  const failures = [];
  const hookPayload = JSON.stringify({ hook_event_name: 'PostToolUse', session_id: 'bench', cwd: '/w', transcript_path: '/w/t.jsonl', tool_name: 'Edit', tool_input: { file_path: '/w/a.ts' }, tool_response: { ok: true } });
  const resets = Math.floor(Date.now() / 1000) + 7200;
  const statusPayload = JSON.stringify({ session_id: 'bench', cwd: '/w', model: { id: 'claude-opus-4-6', display_name: 'Opus' }, context_window: { context_window_size: 200000, used_percentage: 40 }, rate_limits: { five_hour: { used_percentage: 40, resets_at: resets }, seven_day: { used_percentage: 20, resets_at: resets + 86400 } } });
  const rows = [];
  for (const [name, args, input] of [
    ['cco hook (PostToolUse)', [cco, 'hook', '--config-dir', dir], hookPayload],
    ['cco statusline', [cco, 'statusline', '--config-dir', dir], statusPayload],
  ]) {
    log(`claude-code side: ${name} x ${RUNS}`);
    const times = [];
    for (let i = 0; i < RUNS; i += 1) {
      const r = await runOnce(process.execPath, args, input);
      if (r.code !== 0) failures.push(`${name} exited ${r.code}: ${r.stderr.slice(0, 200)}`);
      times.push(r.ms);
    }
    rows.push([name, median(times).toFixed(0), p95(times).toFixed(0)]);
  }
  const bare = [];
  for (let i = 0; i < 10; i += 1) bare.push((await runOnce(process.execPath, ['-e', '0'], '')).ms);

  log(`claude-code side: ${WRITERS} concurrent writers x ${EVENTS_PER_WRITER} events`);
  const writerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-bench-writers-'));
  const child = path.join(root, 'test/integration/helpers/hook-append-child.mjs');
  // The writers start together (a shared start instant), each appending whole hook events in-process.
  const startAt = Date.now() + 1500;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: WRITERS }, (_, w) =>
      new Promise((resolve) => {
        const p = spawn(process.execPath, [child, writerDir, `writer-${w}`, String(EVENTS_PER_WRITER), String(startAt)], { stdio: 'ignore' });
        p.on('close', resolve);
      }),
    ),
  );
  const elapsed = Date.now() - Math.max(t0, startAt);
  const lines = fs.readFileSync(path.join(writerDir, 'logs', 'sessions.jsonl'), 'utf8').split('\n').filter(Boolean);
  let torn = 0;
  for (const line of lines) {
    try {
      JSON.parse(line);
    } catch {
      torn += 1;
    }
  }
  const expected = WRITERS * EVENTS_PER_WRITER;
  if (lines.length !== expected || torn > 0) failures.push(`concurrent writers: ${lines.length}/${expected} lines, ${torn} torn`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(writerDir, { recursive: true, force: true });

  const markdown = [
    '## Inside Claude Code: hook and status-line latency, concurrent hook writers',
    '',
    `Whole process per call (Node start included; a bare \`node -e 0\` takes ${median(bare).toFixed(0)} ms median here), ${RUNS} runs each.`,
    '',
    '| command | median ms | p95 ms |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    `${WRITERS} concurrent writers x ${EVENTS_PER_WRITER} events: ${lines.length}/${expected} lines, ${torn} torn, ${elapsed} ms in all.`,
  ].join('\n');
  return { name: 'claude-code-side', markdown, failures, disagreements: [], rows };
}
