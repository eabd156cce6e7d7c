// The files cco touches, as a dotfile manager, an interrupted write or a hostile config root leaves
// them: symlinked settings, FIFOs and devices where JSON is expected, stale temp files, piles of
// backups, an empty HOME, a slow chained status line. Real files, the real CLI as a child process,
// each run with a spawn timeout so a hang fails its test instead of the suite.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CCO_BIN, REPO, tempRoot } from '../helpers/cli.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Long enough for a loaded machine, short enough that a hang fails here and not the suite. */
const HANG_MS = 15_000;

function cco(args: string[], opts: { env?: Record<string, string | undefined>; input?: string; cwd?: string } = {}): Run {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: '1', HOME: os.tmpdir(), CLAUDE_CONFIG_DIR: undefined, XDG_CONFIG_HOME: undefined, FORCE_COLOR: undefined, ...opts.env })) {
    if (value !== undefined) env[key] = value;
  }
  const result = spawnSync(process.execPath, [CCO_BIN, ...args], { env, input: opts.input ?? '', cwd: opts.cwd ?? REPO, encoding: 'utf8', timeout: HANG_MS, killSignal: 'SIGKILL' });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function dir(prefix: string): string {
  const made = tempRoot(prefix);
  cleanup.push(made);
  return made;
}

function mkfifo(file: string): void {
  const made = spawnSync('mkfifo', [file]);
  expect(made.status).toBe(0);
}

const USER_SETTINGS = `${JSON.stringify({ model: 'opus', statusLine: { type: 'command', command: 'echo mine' } }, null, 2)}\n`;

/** A config root whose settings.json is a link (into a dotfiles folder, through a second link). */
function linkedRoot(): { root: string; link: string; target: string } {
  const base = dir('cco-files-');
  const root = path.join(base, 'claude');
  const dotfiles = path.join(base, 'dotfiles', 'claude');
  fs.mkdirSync(root);
  fs.mkdirSync(dotfiles, { recursive: true });
  const target = path.join(dotfiles, 'settings.json');
  fs.writeFileSync(target, USER_SETTINGS);
  // settings.json -> ../dotfiles/current.json (relative) -> dotfiles/claude/settings.json
  fs.symlinkSync(target, path.join(base, 'dotfiles', 'current.json'));
  const link = path.join(root, 'settings.json');
  fs.symlinkSync(path.join('..', 'dotfiles', 'current.json'), link);
  return { root, link, target };
}

describe('symlinked settings files are written through, the links kept', () => {
  it('cco install and cco uninstall update the link\'s final target and keep the chain of links', () => {
    const { root, link, target } = linkedRoot();
    const installed = cco(['install', '--config-dir', root]);
    expect(installed.stderr).toBe('');
    expect(installed.code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe(path.join('..', 'dotfiles', 'current.json'));
    expect(fs.lstatSync(path.join(path.dirname(target), '..', 'current.json')).isSymbolicLink()).toBe(true);
    const after = JSON.parse(fs.readFileSync(target, 'utf8')) as { model: string; hooks?: unknown; statusLine: { command: string } };
    expect(after.model).toBe('opus');
    expect(after.hooks).toBeDefined();
    expect(after.statusLine.command).toContain('statusline');
    // No temp file left beside the link or the target.
    expect(fs.readdirSync(path.dirname(target))).toEqual(['settings.json']);

    const removed = cco(['uninstall', '--config-dir', root]);
    expect(removed.stderr).toBe('');
    expect(removed.code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe(USER_SETTINGS);
  });

  it('cco config set writes through a symlinked cco-settings.json, and fills a dangling one', () => {
    const base = dir('cco-files-');
    const root = path.join(base, 'claude');
    fs.mkdirSync(root);
    fs.mkdirSync(path.join(base, 'dotfiles'));
    const target = path.join(base, 'dotfiles', 'cco-settings.json');
    fs.writeFileSync(target, `${JSON.stringify({ plan: 'pro', hyperaware: true })}\n`);
    const link = path.join(root, 'cco-settings.json');
    fs.symlinkSync(target, link);

    const set = cco(['config', 'set', 'plan', 'max5', '--config-dir', root]);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(fs.readFileSync(target, 'utf8'))).toEqual({ plan: 'max5', hyperaware: true });

    // A dangling link (the dotfiles checkout has no such file yet): the target is created.
    fs.rmSync(target);
    const fresh = cco(['config', 'set', 'plan', 'max20', '--config-dir', root]);
    expect(fresh.code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(fs.readFileSync(target, 'utf8'))).toEqual({ plan: 'max20' });
  });

  it('a link whose target folder is missing: one error line, exit 1, nothing created', () => {
    const root = dir('cco-files-');
    const link = path.join(root, 'cco-settings.json');
    const gone = path.join(root, 'no-such-folder', 'cco-settings.json');
    fs.symlinkSync(gone, link);
    const set = cco(['config', 'set', 'plan', 'max5', '--config-dir', root]);
    expect(set.code).toBe(1);
    expect(set.stderr).toMatch(/^cco config: .*cco-settings\.json.*links to .*no-such-folder.*folder does not exist/);
    expect(set.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.dirname(gone))).toBe(false);
  });
});

describe('only regular files are opened where a path comes from outside', () => {
  it.each([
    ['a FIFO', (file: string) => mkfifo(file)],
    ['a link to /dev/zero', (file: string) => fs.symlinkSync('/dev/zero', file)],
  ])('cco status finishes with %s at sessions/<pid>.json', (_label, plant) => {
    const root = dir('cco-files-');
    fs.mkdirSync(path.join(root, 'sessions'));
    plant(path.join(root, 'sessions', `${process.pid}.json`));
    fs.writeFileSync(path.join(root, 'sessions', '1.json'), JSON.stringify({ pid: process.pid, sessionId: 'live-1', cwd: '/w', startedAt: Date.now(), status: 'busy' }));
    const status = cco(['status', '--json', '--config-dir', root]);
    expect(status.signal).toBeNull();
    expect(status.code).toBe(0);
    // The real live-session file beside the planted one is still read.
    const snapshot = JSON.parse(status.stdout) as { sessions: { sessionId: string }[] };
    expect(snapshot.sessions.map((s) => s.sessionId)).toContain('live-1');
  });

  it('a hook whose transcript_path is a FIFO exits 0 at once, records the event and logs why it read nothing', () => {
    const root = dir('cco-files-');
    const fifo = path.join(root, 'transcript.jsonl');
    mkfifo(fifo);
    for (const payload of [
      { hook_event_name: 'PreCompact', session_id: 'sess-f', transcript_path: fifo, cwd: '/w', trigger: 'auto' },
      { hook_event_name: 'SessionStart', session_id: 'sess-f', transcript_path: fifo, cwd: '/w', source: 'compact' },
    ]) {
      const hook = cco(['hook', '--config-dir', root], { input: JSON.stringify(payload) });
      expect(hook.signal).toBeNull();
      expect(hook.code).toBe(0);
      expect(hook.stdout).toBe('');
    }
    const events = fs.readFileSync(path.join(root, 'logs', 'sessions.jsonl'), 'utf8').trim().split('\n');
    expect(events.map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(['pre_compact', 'session_start']);
    expect(fs.readFileSync(path.join(root, 'logs', 'cco-hook-errors.log'), 'utf8')).toMatch(/not a regular file/);
  });

  it('a live-session file far larger than any real one is not read whole', () => {
    const root = dir('cco-files-');
    fs.mkdirSync(path.join(root, 'sessions'));
    const live = { pid: process.pid, cwd: '/w', startedAt: Date.now(), status: 'busy' };
    fs.writeFileSync(path.join(root, 'sessions', '1.json'), JSON.stringify({ ...live, sessionId: 'small' }));
    // Valid JSON, so only the size keeps it out: 8 MB where Claude Code writes a few hundred bytes.
    fs.writeFileSync(path.join(root, 'sessions', '2.json'), JSON.stringify({ ...live, sessionId: 'huge', pad: 'x'.repeat(8 * 1024 * 1024) }));
    const status = cco(['status', '--json', '--config-dir', root]);
    expect(status.code).toBe(0);
    const ids = (JSON.parse(status.stdout) as { sessions: { sessionId: string }[] }).sessions.map((s) => s.sessionId);
    expect(ids).toContain('small');
    expect(ids).not.toContain('huge');
  });
});

describe('leftovers', () => {
  const hoursAgo = (file: string, hours: number): void => {
    const at = new Date(Date.now() - hours * 3_600_000);
    fs.utimesSync(file, at, at);
  };

  // Above Linux's largest pid (2^22): the writer that made these is certainly gone.
  const DEAD = 4194399;

  it('a write removes the stale temp files interrupted writes of ours left, and only those', () => {
    const root = dir('cco-files-');
    const stale = path.join(root, `cco-settings.json.tmp-${DEAD}-1f-3kq9z1`);
    const staleOther = path.join(root, `quota-tracker.json.tmp-${DEAD}-1-zz`);
    const fresh = path.join(root, `cco-settings.json.tmp-${DEAD}-2-ab12`);
    const liveWriter = path.join(root, `cco-settings.json.tmp-${process.pid}-2-ab12`);
    const notOurs = path.join(root, 'cco-settings.json.tmp-backup-by-hand');
    for (const file of [stale, staleOther, fresh, liveWriter, notOurs]) fs.writeFileSync(file, '{"half":');
    for (const file of [stale, staleOther, liveWriter, notOurs]) hoursAgo(file, 2);
    const set = cco(['config', 'set', 'plan', 'max5', '--config-dir', root]);
    expect(set.code).toBe(0);
    const left = fs.readdirSync(root).sort();
    expect(left).toEqual(['cco-settings.json', path.basename(fresh), path.basename(liveWriter), path.basename(notOurs)].sort());
  });

  it('cco install removes stale temp files of ours from the config root', () => {
    const root = dir('cco-files-');
    fs.writeFileSync(path.join(root, 'settings.json'), USER_SETTINGS);
    const stale = ['settings.json.tmp-DEAD-1-abc', 'quota-tracker.json.tmp-DEAD-2-def', 'session-queue.json.tmp-DEAD-4-x1'].map((name) => path.join(root, name.replace('DEAD', String(DEAD))));
    for (const file of stale) {
      fs.writeFileSync(file, '{');
      hoursAgo(file, 1);
    }
    const fresh = path.join(root, `statusline-state.json.tmp-${DEAD}-1-abc`);
    fs.writeFileSync(fresh, '{');
    expect(cco(['install', '--config-dir', root]).code).toBe(0);
    for (const file of stale) expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
  });

  it('settings.json backups: no new one for the same content, and at most five kept', () => {
    const root = dir('cco-files-');
    const settings = path.join(root, 'settings.json');
    const backups = (): string[] => fs.readdirSync(root).filter((name) => name.startsWith('settings.json.cco-backup-')).sort();
    fs.writeFileSync(settings, USER_SETTINGS);
    // A dotfile manager puts the user's file back after every install: the same content each time.
    for (let i = 0; i < 6; i++) {
      fs.writeFileSync(settings, USER_SETTINGS);
      expect(cco(['install', '--config-dir', root]).code).toBe(0);
    }
    expect(backups()).toHaveLength(1);
    expect(fs.readFileSync(path.join(root, backups()[0] as string), 'utf8')).toBe(USER_SETTINGS);
    // Install and uninstall alternate: every run backs up a different content, the pile stays small.
    for (let i = 0; i < 6; i++) {
      expect(cco(['uninstall', '--config-dir', root]).code).toBe(0);
      expect(cco(['install', '--config-dir', root]).code).toBe(0);
    }
    const kept = backups();
    // The newest five, plus the copy from before the first install (what uninstall points to).
    expect(kept.length).toBeLessThanOrEqual(6);
    const state = JSON.parse(fs.readFileSync(path.join(root, 'cco-integration.json'), 'utf8')) as { settingsBackup: string };
    expect(fs.existsSync(state.settingsBackup)).toBe(true);
    expect(fs.readFileSync(state.settingsBackup, 'utf8')).toBe(USER_SETTINGS);
    expect(fs.readFileSync(settings, 'utf8')).toContain('statusline');
  });

  it.each([
    ['HOME=""', { HOME: '' }],
    ['HOME relative', { HOME: 'home' }],
    ['CLAUDE_CONFIG_DIR relative', { CLAUDE_CONFIG_DIR: '.claude' }],
  ])('with %s the hook and the status line write nothing under the project and exit 0', (_label, env) => {
    const project = dir('cco-project-');
    // A project with its own .claude/ (project settings) and a home-like folder inside it.
    fs.mkdirSync(path.join(project, '.claude'));
    fs.mkdirSync(path.join(project, 'home', '.claude'), { recursive: true });
    const before = fs.readdirSync(project, { recursive: true }).sort();
    const hook = cco(['hook'], { cwd: project, env, input: JSON.stringify({ hook_event_name: 'SessionStart', session_id: 's', cwd: project, source: 'startup' }) });
    expect(hook.code).toBe(0);
    expect(hook.stdout).toBe('');
    expect(hook.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(hook.stderr).toMatch(/not an absolute path/);
    const line = cco(['statusline'], { cwd: project, env, input: JSON.stringify({ session_id: 's', rate_limits: { five_hour: { used_percentage: 10, resets_at: Math.floor(Date.now() / 1000) + 3600 } } }) });
    expect(line.code).toBe(0);
    expect(fs.readdirSync(project, { recursive: true }).sort()).toEqual(before);
  });
});

describe('a slow chained status line', () => {
  const payload = JSON.stringify({ session_id: 'sess-1', context_window: { context_window_size: 200_000, used_percentage: 10 } });

  function rootWithPrevious(command: string): string {
    const root = dir('cco-files-');
    fs.writeFileSync(path.join(root, 'settings.json'), `${JSON.stringify({ statusLine: { type: 'command', command } })}\n`);
    expect(cco(['install', '--config-dir', root]).code).toBe(0);
    return root;
  }

  it('shows what it printed before the timeout', () => {
    const root = rootWithPrevious("printf 'git:main +2 '; sleep 5; echo never");
    const result = cco(['statusline', '--config-dir', root], { input: payload });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('git:main +2 ');
    expect(lines[1]).toMatch(/^◆ /);
    expect(result.stdout).not.toContain('never');
  });

  it('shows its last complete output when it prints nothing in time', () => {
    const flags = dir('cco-flags-');
    const slow = path.join(flags, 'slow');
    const counter = path.join(flags, 'n');
    fs.writeFileSync(counter, '1');
    const root = rootWithPrevious(`cat >/dev/null; if [ -f '${slow}' ]; then sleep 5; fi; echo "theirs #$(cat '${counter}')"`);
    const first = cco(['statusline', '--config-dir', root], { input: payload });
    expect(first.stdout.split('\n')[0]).toBe('theirs #1');
    fs.writeFileSync(slow, '');
    fs.writeFileSync(counter, '2');
    const second = cco(['statusline', '--config-dir', root], { input: payload });
    expect(second.code).toBe(0);
    expect(second.stdout.split('\n')[0]).toBe('theirs #1');
    expect(second.stdout.split('\n')[1]).toMatch(/^◆ /);
    fs.rmSync(slow);
    const third = cco(['statusline', '--config-dir', root], { input: payload });
    expect(third.stdout.split('\n')[0]).toBe('theirs #2');
  });
});
