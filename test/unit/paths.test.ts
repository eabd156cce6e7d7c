import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigRootError, candidateRoots, errorCode, findConfigRoots, listTranscriptFiles, requireConfigRoots, statePaths } from '../../main/core/paths.js';
import { loadRecent } from '../../main/core/status.js';
import { TranscriptLedger } from '../../main/core/transcripts/ledger.js';
import { assistantLine } from '../fixtures/make-transcript.js';

let base = '';
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-paths-'));
});
afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

function mkdir(...parts: string[]): string {
  const dir = path.join(base, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function touch(...parts: string[]): string {
  const file = path.join(base, ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '{"type":"summary"}\n');
  return file;
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`not an Error: ${String(error)}`);
  }
  throw new Error('did not throw');
}

describe('candidateRoots', () => {
  const home = '/home/dana';
  const cases: { name: string; env: NodeJS.ProcessEnv; explicit?: string[]; expected: string[] }[] = [
    { name: 'nothing set: ~/.claude then ~/.config/claude', env: {}, expected: ['/home/dana/.claude', '/home/dana/.config/claude'] },
    { name: 'XDG_CONFIG_HOME set', env: { XDG_CONFIG_HOME: '/xdg' }, expected: ['/home/dana/.claude', '/xdg/claude'] },
    { name: 'XDG_CONFIG_HOME blank', env: { XDG_CONFIG_HOME: '   ' }, expected: ['/home/dana/.claude', '/home/dana/.config/claude'] },
    { name: 'CLAUDE_CONFIG_DIR: one dir', env: { CLAUDE_CONFIG_DIR: '/cfg/a' }, expected: ['/cfg/a'] },
    { name: 'CLAUDE_CONFIG_DIR: a comma list with spaces and an empty entry', env: { CLAUDE_CONFIG_DIR: ' /cfg/a , ,/cfg/b,  ' }, expected: ['/cfg/a', '/cfg/b'] },
    { name: 'CLAUDE_CONFIG_DIR wins over XDG', env: { CLAUDE_CONFIG_DIR: '/cfg/a', XDG_CONFIG_HOME: '/xdg' }, expected: ['/cfg/a'] },
    { name: 'CLAUDE_CONFIG_DIR of blanks only: the defaults', env: { CLAUDE_CONFIG_DIR: ' , ' }, expected: ['/home/dana/.claude', '/home/dana/.config/claude'] },
    { name: 'CLAUDE_CONFIG_DIR with a trailing slash is normalised', env: { CLAUDE_CONFIG_DIR: '/cfg/a/' }, expected: ['/cfg/a'] },
    { name: 'explicit dirs win over the environment', env: { CLAUDE_CONFIG_DIR: '/cfg/a' }, explicit: ['/x', '/y'], expected: ['/x', '/y'] },
    { name: 'an empty explicit list falls back to the environment', env: { CLAUDE_CONFIG_DIR: '/cfg/a' }, explicit: [], expected: ['/cfg/a'] },
  ];
  it.each(cases)('$name', ({ env, explicit, expected }) => {
    expect(candidateRoots(env, home, explicit)).toEqual(expected);
  });

  it('relative roots from the environment are refused (HOME="" must not mean ./.claude)', () => {
    expect(candidateRoots({ CLAUDE_CONFIG_DIR: 'rel/dir' }, '/home/dana')).toEqual([]);
    expect(candidateRoots({ CLAUDE_CONFIG_DIR: 'rel/dir,/abs/dir' }, '/home/dana')).toEqual(['/abs/dir']);
    expect(candidateRoots({}, '')).toEqual([]);
    expect(candidateRoots({}, 'rel')).toEqual([]);
    expect(candidateRoots({ XDG_CONFIG_HOME: '/xdg' }, '')).toEqual(['/xdg/claude']);
    expect(candidateRoots({ XDG_CONFIG_HOME: 'rel' }, '/home/dana')).toEqual(['/home/dana/.claude', '/home/dana/.config/claude']);
  });

  it('an explicit --config-dir, typed by a person, is resolved against the cwd', () => {
    expect(candidateRoots({}, '', ['rel/dir'])).toEqual([path.resolve('rel/dir')]);
  });

  it('with only relative roots on offer, requireConfigRoots says why in one line', () => {
    const error = thrown(() => requireConfigRoots({ env: {}, home: '' }));
    expect(error).toBeInstanceOf(ConfigRootError);
    expect(error.message).toMatch(/HOME\) is "", not an absolute path/);
    expect(error.message).not.toContain('\n');
  });
});

describe('findConfigRoots / requireConfigRoots', () => {
  it('CLAUDE_CONFIG_DIR with one existing and one missing entry: the existing one, the missing one noted', () => {
    const a = mkdir('a');
    const missing = path.join(base, 'missing');
    const env = { CLAUDE_CONFIG_DIR: `${a}, ${missing}` };
    expect(findConfigRoots({ env, home: base })).toEqual({ roots: [a], missing: [missing] });
    expect(requireConfigRoots({ env, home: base })).toEqual([a]);
  });

  it('both entries of a comma list exist: both, in order, duplicates once', () => {
    const a = mkdir('a');
    const b = mkdir('b');
    expect(requireConfigRoots({ env: { CLAUDE_CONFIG_DIR: `${b},${a},${b}/` }, home: base })).toEqual([b, a]);
  });

  it('falls back to ~/.claude and $XDG_CONFIG_HOME/claude, each that exists', () => {
    const home = mkdir('home');
    const xdg = mkdir('xdg');
    expect(findConfigRoots({ env: { XDG_CONFIG_HOME: xdg }, home }).roots).toEqual([]);
    const dotClaude = mkdir('home', '.claude');
    expect(requireConfigRoots({ env: { XDG_CONFIG_HOME: xdg }, home })).toEqual([dotClaude]);
    const xdgClaude = mkdir('xdg', 'claude');
    expect(requireConfigRoots({ env: { XDG_CONFIG_HOME: xdg }, home })).toEqual([dotClaude, xdgClaude]);
    fs.rmSync(dotClaude, { recursive: true });
    expect(requireConfigRoots({ env: { XDG_CONFIG_HOME: xdg }, home })).toEqual([xdgClaude]);
  });

  it('without XDG_CONFIG_HOME: ~/.config/claude', () => {
    const home = mkdir('home');
    const legacy = mkdir('home', '.config', 'claude');
    expect(requireConfigRoots({ env: {}, home })).toEqual([legacy]);
  });

  it('explicit dirs win over CLAUDE_CONFIG_DIR and the home defaults', () => {
    const home = mkdir('home');
    mkdir('home', '.claude');
    const fromEnv = mkdir('env');
    const explicit = mkdir('explicit');
    expect(requireConfigRoots({ env: { CLAUDE_CONFIG_DIR: fromEnv }, home, explicit: [explicit] })).toEqual([explicit]);
  });

  it('a missing explicit dir is an error, even when another one exists', () => {
    const good = mkdir('good');
    const missing = path.join(base, 'nope');
    const error = thrown(() => requireConfigRoots({ env: {}, home: base, explicit: [good, missing] }));
    expect(error).toBeInstanceOf(ConfigRootError);
    expect(error.message).toBe(`config directory not found: ${missing} (check --config-dir)`);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('no root at all: ConfigRootError with a one-line message naming where it looked', () => {
    const home = mkdir('empty-home');
    const error = thrown(() => requireConfigRoots({ env: {}, home }));
    expect(error).toBeInstanceOf(ConfigRootError);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toContain(path.join(home, '.claude'));
    expect(error.message).toContain(path.join(home, '.config', 'claude'));
    expect(error.message).toContain('CLAUDE_CONFIG_DIR');
  });

  it('CLAUDE_CONFIG_DIR naming only missing dirs: ConfigRootError', () => {
    const error = thrown(() => requireConfigRoots({ env: { CLAUDE_CONFIG_DIR: `${path.join(base, 'x')},${path.join(base, 'y')}` }, home: base }));
    expect(error).toBeInstanceOf(ConfigRootError);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('a regular file is not a root', () => {
    const file = touch('not-a-dir');
    expect(findConfigRoots({ env: { CLAUDE_CONFIG_DIR: file }, home: base })).toEqual({ roots: [], missing: [file] });
  });

  it('statePaths live in the first root', () => {
    expect(statePaths('/r')).toMatchObject({ quotaTracker: '/r/quota-tracker.json', usageHistory: '/r/usage-history.json', logsDir: '/r/logs' });
  });
});

describe('listTranscriptFiles', () => {
  it('finds session files, <session>/subagents/agent-*.jsonl and legacy agent-*.jsonl; ignores the rest', () => {
    const root = mkdir('root');
    const session = touch('root', 'projects', '-Users-dana-code-app', '8c4e2f6a-1b3d-4c5e-9f70-a1b2c3d4e5f6.jsonl');
    const subagent = touch('root', 'projects', '-Users-dana-code-app', '8c4e2f6a-1b3d-4c5e-9f70-a1b2c3d4e5f6', 'subagents', 'agent-a1b2c3.jsonl');
    const legacy = touch('root', 'projects', '-Users-dana-code-app', 'agent-d4e5f6.jsonl');
    const other = touch('root', 'projects', '-Users-dana-code-other', 'f00dcafe.jsonl');
    touch('root', 'projects', '-Users-dana-code-app', 'notes.json');
    touch('root', 'projects', '-Users-dana-code-app', 'session.jsonl.bak');
    touch('root', 'projects', '-Users-dana-code-app', 'README.md');
    touch('root', 'projects', '-Users-dana-code-app', 'tool-results', 'blob.txt');
    // Outside projects/: not transcripts.
    touch('root', 'sessions', '4242.json');
    touch('root', 'history.jsonl');
    touch('root', 'todos', 'x.jsonl');

    const listing = listTranscriptFiles([root]);
    expect(listing.files.map((file) => file.path).sort()).toEqual([session, subagent, legacy, other].sort());
    expect(listing.unreadable).toEqual([]);
    const first = listing.files.find((file) => file.path === session);
    const s = fs.statSync(session);
    expect(first).toEqual({ path: session, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino });
  });

  it('lists every root; a root without projects/ adds nothing', () => {
    const a = touch('a', 'projects', 'p', 's1.jsonl');
    const b = touch('b', 'projects', 'q', 's2.jsonl');
    mkdir('c');
    const listing = listTranscriptFiles([path.join(base, 'a'), path.join(base, 'b'), path.join(base, 'c')]);
    expect(listing.files.map((file) => file.path).sort()).toEqual([a, b].sort());
  });

  it('a symlink to a transcript is listed; a dangling one is reported unreadable, not thrown', () => {
    const real = touch('elsewhere', 'real.jsonl');
    const dir = mkdir('root', 'projects', 'p');
    fs.symlinkSync(real, path.join(dir, 'linked.jsonl'));
    fs.symlinkSync(path.join(base, 'does-not-exist.jsonl'), path.join(dir, 'dangling.jsonl'));
    const listing = listTranscriptFiles([path.join(base, 'root')]);
    expect(listing.files.map((file) => file.path)).toEqual([path.join(dir, 'linked.jsonl')]);
    expect(listing.unreadable).toEqual([{ path: path.join(dir, 'dangling.jsonl'), error: 'ENOENT' }]);
  });

  it('a directory named like a transcript is walked into, not listed', () => {
    const inner = touch('root', 'projects', 'p', 'weird.jsonl', 'inner.jsonl');
    const listing = listTranscriptFiles([path.join(base, 'root')]);
    expect(listing.files.map((file) => file.path)).toEqual([inner]);
  });

  it('an empty or missing root lists nothing', () => {
    expect(listTranscriptFiles([path.join(base, 'missing')])).toEqual({ files: [], unreadable: [] });
    expect(listTranscriptFiles([])).toEqual({ files: [], unreadable: [] });
  });
});

describe('errorCode', () => {
  it('the errno code, else the message', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe('EACCES');
    expect(errorCode(new Error('plain'))).toBe('plain');
    expect(errorCode('text')).toBe('text');
  });
});

describe('listTranscriptFiles: quick listing', () => {
  it('skips the sub-agent folder of a session idle since before the cutoff, and says from when it is complete', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-quick-'));
    const day = 24 * 3_600_000;
    const now = Date.parse('2026-06-10T12:00:00.000Z');
    const project = path.join(root, 'projects', '-w-app');
    const write = (file: string, at: number, id: string, sidechain = false) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${assistantLine({ messageId: id, timestamp: new Date(at).toISOString(), input: 10, output: 0, sidechain })}\n`);
      fs.utimesSync(file, new Date(at), new Date(at));
    };
    write(path.join(project, 'old.jsonl'), now - 3 * day, 'msg_old');
    write(path.join(project, 'old', 'subagents', 'agent-a.jsonl'), now - 3 * day, 'msg_old_agent', true);
    write(path.join(project, 'new.jsonl'), now - 3_600_000, 'msg_new');
    write(path.join(project, 'new', 'subagents', 'agent-b.jsonl'), now - 3_600_000, 'msg_new_agent', true);

    const quick = listTranscriptFiles([root], { sessionsActiveSince: now - day });
    expect(quick.files.map((f) => path.relative(project, f.path)).sort()).toEqual(['new.jsonl', 'new/subagents/agent-b.jsonl', 'old.jsonl']);
    expect(quick.completeSince).toBe(now - day + 15 * 60_000);
    expect(listTranscriptFiles([root]).files).toHaveLength(4);
    expect(listTranscriptFiles([root]).completeSince).toBeUndefined();

    // A query that must reach past the quick listing's horizon lists everything.
    let relisted = 0;
    const loaded = loadRecent(new TranscriptLedger(), quick, now - 20 * 3_600_000, () => {
      relisted += 1;
      return listTranscriptFiles([root]);
    });
    expect(relisted).toBe(1);
    expect(loaded.listing.files).toHaveLength(4);
  });
});
