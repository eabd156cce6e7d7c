/**
 * `cco status --format waybar|plain` through the real CLI: one valid JSON line per run, and with
 * --watch one new line when a transcript is appended (Waybar's continuous mode: spawn, append,
 * read two lines, kill).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assistantLine, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { CCO_BIN, REPO, runCco, tempRoot } from '../helpers/cli.js';

const SESSION = '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CWD = '/Users/dana/code/invoice-api';
const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

const cleanup: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function root(): string {
  const dir = tempRoot('cco-panel-');
  cleanup.push(dir);
  fs.writeFileSync(path.join(dir, 'cco-settings.json'), JSON.stringify({ plan: 'pro' }));
  return dir;
}

function session(dir: string): string {
  return writeTranscript(dir, SESSION, [
    userLine({ timestamp: ago(30), text: 'Add pagination', sessionId: SESSION, cwd: CWD }),
    assistantLine({ messageId: 'msg_1', timestamp: ago(20), sessionId: SESSION, cwd: CWD, input: 20_000, output: 10_000, cacheRead: 40_000 }),
  ], { cwd: CWD });
}

interface WaybarJson {
  text: string;
  tooltip: string;
  class: string;
  percentage: number;
}

function parseWaybar(line: string): WaybarJson {
  const parsed = JSON.parse(line) as WaybarJson;
  expect(typeof parsed.text).toBe('string');
  expect(typeof parsed.tooltip).toBe('string');
  expect(typeof parsed.class).toBe('string');
  expect(Number.isInteger(parsed.percentage)).toBe(true);
  return parsed;
}

/** Collects a child's stdout lines; `next(n)` resolves once n lines have arrived. */
function lines(child: ChildProcess): (count: number) => Promise<string[]> {
  const got: string[] = [];
  let buffer = '';
  let stderr = '';
  const waiting: { count: number; resolve: (value: string[]) => void; reject: (error: Error) => void }[] = [];
  const check = (): void => {
    for (const wait of waiting.splice(0)) {
      if (got.length >= wait.count) wait.resolve(got.slice(0, wait.count));
      else waiting.push(wait);
    }
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    got.push(...parts);
    check();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.on('exit', (code) => {
    for (const wait of waiting.splice(0)) wait.reject(new Error(`cco exited (${code}) after ${got.length} lines; stderr: ${stderr}`));
  });
  return (count) =>
    new Promise((resolve, reject) => {
      waiting.push({ count, resolve, reject });
      check();
    });
}

describe('cco status --format', () => {
  it('waybar: exactly one line of JSON whose class is the quota level', () => {
    const dir = root();
    session(dir);
    const result = runCco(['status', '--format', 'waybar', '--config-dir', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    const out = result.stdout.slice(0, -1);
    expect(out).not.toContain('\n');
    const line = parseWaybar(out);
    const snapshot = JSON.parse(runCco(['status', '--json', '--config-dir', dir]).stdout) as { quota: { level: string; percentUsed: number } };
    expect(line.class).toBe(snapshot.quota.level);
    expect(line.percentage).toBe(Math.round(snapshot.quota.percentUsed));
    expect(line.text).toMatch(/^◆ \d+% · \d+h\d+m$/);
  });

  it('plain: one short line without escape codes, even when colour is forced', () => {
    const dir = root();
    session(dir);
    const result = runCco(['status', '--format', 'plain', '--config-dir', dir], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^◆ \d+% · \d+h\d+m · ctx \d+%\n$/);
  });

  it('an unknown format, or --json with --format, is a usage error', () => {
    const unknown = runCco(['status', '--format', 'i3bar']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--format must be one of waybar, plain, got "i3bar"');
    const both = runCco(['status', '--json', '--format', 'plain']);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
  });

  it('--watch --format waybar prints one JSON line, then a new one when a transcript is appended', async () => {
    const dir = root();
    const file = session(dir);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: '1', CLAUDE_CONFIG_DIR: undefined })) if (value !== undefined) env[key] = value;
    const child = spawn(process.execPath, [CCO_BIN, 'status', '--watch', '--format', 'waybar', '--config-dir', dir], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const next = lines(child);
    const [first] = await next(1);
    const before = parseWaybar(first as string);
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_2', timestamp: ago(1), sessionId: SESSION, cwd: CWD, input: 30_000, output: 20_000, cacheRead: 80_000 })}\n`);
    const [, second] = await next(2);
    const after = parseWaybar(second as string);
    // No screen clearing, no footer: the line is the JSON and nothing else.
    expect(second).toMatch(/^\{.*\}$/);
    expect(after.percentage).toBeGreaterThan(before.percentage);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  }, 20_000);
});
