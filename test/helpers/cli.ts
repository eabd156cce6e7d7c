/** Runs the real `cco` CLI (bin/cco.js over dist/) as a child process. `npm test` builds dist first. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CCO_BIN = path.join(REPO, 'bin', 'cco.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCco(args: string[], opts: { env?: Record<string, string | undefined>; input?: string; cwd?: string } = {}): CliResult {
  if (!fs.existsSync(path.join(REPO, 'dist', 'main', 'cli', 'cco.js'))) {
    throw new Error('dist/ is missing: run "npm run build" (npm test does it first)');
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: '1', HOME: os.tmpdir(), CLAUDE_CONFIG_DIR: undefined, CLAUDE_CODE_AUTO_COMPACT_WINDOW: undefined, CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: undefined, ...opts.env })) {
    if (value !== undefined) env[key] = value;
  }
  const result = spawnSync(process.execPath, [CCO_BIN, ...args], {
    env,
    input: opts.input ?? '',
    cwd: opts.cwd ?? REPO,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempRoot(prefix = 'cco-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
