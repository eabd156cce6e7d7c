import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitShellWords } from '../../main/integration/shell.js';
import { CCO_BIN, REPO, runCco, tempRoot, type CliResult } from '../helpers/cli.js';

const COMMAND_FILES = [
  'session-status.md',
  'context-status.md',
  'compact-context.md',
  'save-and-restart.md',
  'start-next-session.md',
  'create-calendar-events.md',
];
const EVENTS = ['SessionStart', 'SessionEnd', 'PostToolUse', 'PostToolUseFailure', 'PreCompact', 'PostCompact', 'Stop', 'StopFailure', 'UserPromptSubmit'];

const USER_HOOK = { type: 'command', command: 'echo "my own hook" >> /tmp/never-run.log' };
const USER_STATUS_LINE = { type: 'command', command: 'bash ~/bin/my-status.sh', padding: 1 };
const USER_SETTINGS = {
  model: 'opus',
  hooks: { SessionStart: [{ matcher: 'startup', hooks: [USER_HOOK] }] },
  statusLine: USER_STATUS_LINE,
  permissions: { allow: ['Bash(npm test:*)'] },
};
const USER_TEXT = `${JSON.stringify(USER_SETTINGS, null, 2)}\n`;

/** A config root whose path has a space, holding the user's own settings. */
function userRoot(): string {
  const root = path.join(tempRoot('cco-install-'), 'my claude');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'settings.json'), USER_TEXT);
  return root;
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The words a real POSIX shell makes of `command` (no expansion happens on quoted words). */
function shellWords(command: string): string[] {
  const result = spawnSync('sh', ['-c', `set -- ${command}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

/** Every file under `dir` with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = entry.isFile() ? fs.readFileSync(full, 'utf8') : '<dir>';
  }
  return out;
}

/** runCco, but started without waiting, so two can run at once. */
function runCcoAsync(args: string[]): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: '1', HOME: os.tmpdir(), CLAUDE_CONFIG_DIR: undefined })) {
    if (value !== undefined) env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CCO_BIN, ...args], { env, cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Root ignores directory permissions, so a chmod-based read-only test only means something for other users. */
function permissionsAreEnforced(): boolean {
  const dir = tempRoot('cco-perm-probe-');
  fs.chmodSync(dir, 0o555);
  try {
    fs.writeFileSync(path.join(dir, 'probe'), 'x');
    return false;
  } catch {
    return true;
  } finally {
    fs.chmodSync(dir, 0o755);
  }
}

describe('cco install / cco uninstall (real CLI)', () => {
  it('merges into the user\'s settings, is a no-op the second time, and uninstalls back to the original', () => {
    const root = userRoot();
    const settingsFile = path.join(root, 'settings.json');

    const first = runCco(['install', '--config-dir', root]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`installed in ${root}`);
    const installedText = fs.readFileSync(settingsFile, 'utf8');
    const installed = readJson(settingsFile);

    // Everything of the user's is still there, in the same key order.
    expect(Object.keys(installed)).toEqual(['model', 'hooks', 'statusLine', 'permissions']);
    expect(installed.model).toBe('opus');
    expect(installed.permissions).toEqual(USER_SETTINGS.permissions);
    const hooks = installed.hooks as Record<string, { matcher?: string; hooks: { command: string; timeout: number }[] }[]>;
    expect(hooks.SessionStart?.[0]).toEqual({ matcher: 'startup', hooks: [USER_HOOK] });
    expect(Object.keys(hooks)).toEqual(EVENTS);

    // Our hook: absolute node + bin/cco.js, a real shell splits it into exactly these words.
    const ours = hooks.SessionStart?.[1]?.hooks[0];
    expect(ours?.timeout).toBe(10);
    expect(hooks.PostToolUse?.[0]?.hooks[0]?.timeout).toBe(5);
    expect(hooks.PostToolUseFailure?.[0]?.hooks[0]?.timeout).toBe(5);
    const expectedWords = [process.execPath, CCO_BIN, 'hook', '--config-dir', root];
    expect(splitShellWords(ours?.command ?? '')).toEqual(expectedWords);
    expect(shellWords(ours?.command ?? '')).toEqual(expectedWords);
    for (const event of EVENTS) expect(hooks[event]?.at(-1)?.hooks[0]?.command).toBe(ours?.command);

    const statusLine = installed.statusLine as { type: string; command: string; padding: number };
    expect(statusLine.type).toBe('command');
    expect(statusLine.padding).toBe(0);
    expect(shellWords(statusLine.command)).toEqual([process.execPath, CCO_BIN, 'statusline', '--config-dir', root]);

    const state = readJson(path.join(root, 'cco-integration.json'));
    expect(state.version).toBe(1);
    expect(state.previousStatusLine).toEqual(USER_STATUS_LINE);
    expect(fs.readFileSync(state.settingsBackup as string, 'utf8')).toBe(USER_TEXT);

    // The six slash commands, each pre-approving exactly the line its `!` runs (test/integration/preapproval.test.ts).
    const prefix = `"${process.execPath}" "${CCO_BIN}"`;
    expect(fs.readdirSync(path.join(root, 'commands')).sort()).toEqual([...COMMAND_FILES].sort());
    for (const file of COMMAND_FILES) {
      const content = fs.readFileSync(path.join(root, 'commands', file), 'utf8');
      expect(content).toMatch(/^---\n# Written by cco install[^\n]*\n# [^\n]+\ndescription: [^\n]+\n/);
      const bang = /^!`([^`]+)`$/m.exec(content)?.[1] ?? '';
      expect(content).toContain(`\nallowed-tools: Bash(${bang.replace(/[\\()]/g, '\\$&')})\n`);
      expect(bang.startsWith(`${prefix} `)).toBe(true);
      expect(shellWords(bang).slice(3, 5)).toEqual(['--config-dir', root]);
    }
    expect(fs.readFileSync(path.join(root, 'commands', 'start-next-session.md'), 'utf8')).toContain(`${prefix} next --config-dir "${root}" --preview\``);

    const second = runCco(['install', '--config-dir', root]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already installed');
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe(installedText);

    const un = runCco(['uninstall', '--config-dir', root]);
    expect(un.stderr).toBe('');
    expect(un.code).toBe(0);
    expect(readJson(settingsFile)).toEqual(USER_SETTINGS);
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe(USER_TEXT);
    expect(fs.existsSync(path.join(root, 'commands'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'cco-integration.json'))).toBe(false);
    expect(fs.readdirSync(root).filter((f) => !f.startsWith('settings.json.cco-backup-'))).toEqual(['settings.json']);
  });

  it('registers slash commands whose command lines run (exit 0, or the slash command would abort)', () => {
    const root = userRoot();
    expect(runCco(['install', '--config-dir', root]).code).toBe(0);
    for (const file of COMMAND_FILES) {
      const bang = /^!`([^`]+)`$/m.exec(fs.readFileSync(path.join(root, 'commands', file), 'utf8'))?.[1] ?? '';
      const words = shellWords(bang);
      expect(words.slice(0, 2)).toEqual([process.execPath, CCO_BIN]);
      const result = runCco(words.slice(2));
      expect(result.code, `${file}: ${result.stderr}`).toBe(0);
      expect(result.stdout, file).not.toBe('');
    }
  });

  it('--dry-run prints the change and writes nothing', () => {
    const root = userRoot();
    const before = tree(root);
    const result = runCco(['install', '--dry-run', '--config-dir', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('nothing written');
    expect(result.stdout).toContain('+++ settings.json (after cco install)');
    expect(tree(root)).toEqual(before);
  });

  it('leaves a settings.json with comments untouched: one error line, exit 1', () => {
    const root = userRoot();
    const withComments = '{\n  // my favourite model\n  "model": "opus"\n}\n';
    fs.writeFileSync(path.join(root, 'settings.json'), withComments);
    const result = runCco(['install', '--config-dir', root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('is not valid JSON');
    expect(tree(root)).toEqual({ 'settings.json': withComments });
  });

  it('fails cleanly on a config root it cannot write: one line, exit 1, nothing half-written', () => {
    // Simulated for every user: a file where commands/ should go makes a write fail half-way.
    const blocked = userRoot();
    fs.writeFileSync(path.join(blocked, 'commands'), 'not a directory');
    const before = tree(blocked);
    const result = runCco(['install', '--config-dir', blocked]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('nothing was changed');
    expect(tree(blocked)).toEqual(before);

    // A truly read-only root. As root (CI containers) chmod does not stop writes, so this part only
    // runs where permissions are enforced.
    if (!permissionsAreEnforced()) return;
    const readOnly = userRoot();
    const readOnlyBefore = tree(readOnly);
    fs.chmodSync(readOnly, 0o555);
    try {
      const denied = runCco(['install', '--config-dir', readOnly]);
      expect(denied.code).toBe(1);
      expect(denied.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(denied.stderr).toContain('permission denied');
      expect(tree(readOnly)).toEqual(readOnlyBefore);
    } finally {
      fs.chmodSync(readOnly, 0o755);
    }
  });

  it('two installs at once leave one correct install', async () => {
    const root = userRoot();
    const results = await Promise.all([runCcoAsync(['install', '--config-dir', root]), runCcoAsync(['install', '--config-dir', root])]);
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    expect(results.filter((r) => r.stdout.includes('already installed'))).toHaveLength(1);

    const settings = readJson(path.join(root, 'settings.json'));
    const hooks = settings.hooks as Record<string, { hooks: unknown[] }[]>;
    expect(hooks.SessionStart).toHaveLength(2); // the user's group and ours, once
    for (const event of EVENTS.filter((e) => e !== 'SessionStart')) expect(hooks[event]).toHaveLength(1);
    expect(readJson(path.join(root, 'cco-integration.json')).previousStatusLine).toEqual(USER_STATUS_LINE);
    expect(fs.readdirSync(root).filter((f) => f.endsWith('.lock') || f.includes('.tmp-'))).toEqual([]);

    expect(runCco(['uninstall', '--config-dir', root]).code).toBe(0);
    expect(readJson(path.join(root, 'settings.json'))).toEqual(USER_SETTINGS);
  });
});
