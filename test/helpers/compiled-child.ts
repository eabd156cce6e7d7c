/**
 * For tests whose child processes run the compiled code (dist/): `npm test` builds it first;
 * run alone, such a test builds it when it is missing or older than its source.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { REPO } from './cli.js';

/** Builds dist/ when `compiled` is missing or older than `source` (both relative to the repo). */
export function ensureCompiled(source: string, compiled: string): void {
  const from = path.join(REPO, source);
  const to = path.join(REPO, compiled);
  const fresh = fs.existsSync(to) && fs.statSync(to).mtimeMs >= fs.statSync(from).mtimeMs;
  if (!fresh) {
    try {
      execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'pipe' });
    } catch {
      // tsc still emits when another file has a type error; only this file's output matters here.
    }
  }
  expect(fs.existsSync(to)).toBe(true);
}

/** Runs `node script ...args` and resolves with its exit code and stderr. */
export function runNodeChild(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stderr }));
  });
}
