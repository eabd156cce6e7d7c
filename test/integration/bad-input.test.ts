/**
 * Bad input through the real CLI (`cco status --json` as a child process): whatever the
 * transcripts hold, status exits 0 with the right figures and says what it skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { assistantLine, toolUse, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { runCco, tempRoot } from '../helpers/cli.js';

const made: string[] = [];
function root(): string {
  const dir = tempRoot('cco-bad-input-');
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function status(args: string[], env: Record<string, string | undefined> = {}): Snapshot {
  const result = runCco(['status', '--json', ...args], { env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

type Skip = 'malformed' | 'empty' | 'binary' | 'synthetic' | 'apiError' | 'unknownType' | 'implausible' | 'oversized';
interface Line {
  text: string | Buffer;
  /** How the line is counted; 'parsed' for a line that parses. */
  as: Skip | 'parsed';
}

const NOW = '2026-01-06T16:00:00.000Z';

describe('cco status on bad input', () => {
  // One session file with every kind of bad line, an empty file, a binary file named .jsonl,
  // a dangling symlink named .jsonl, a torn last line and events stamped after --now.
  const sessionLines: Line[] = [
    { as: 'parsed', text: userLine({ timestamp: '2026-01-06T14:04:00.000Z', text: 'Add invoice totals' }) },
    { as: 'parsed', text: assistantLine({ messageId: 'msg_A', timestamp: '2026-01-06T14:05:00.000Z', input: 1000, output: 5, version: '2.1.90', content: [{ type: 'thinking', thinking: 'plan' }] }) },
    { as: 'parsed', text: assistantLine({ messageId: 'msg_A', timestamp: '2026-01-06T14:05:01.000Z', input: 1000, output: 500, version: '2.1.90', content: [toolUse('Read', 'toolu_1')] }) },
    { as: 'empty', text: '' },
    { as: 'empty', text: '   \t' },
    { as: 'malformed', text: '{"type":"assistant","message":{"id":"msg_broken","usage":{"input_tokens":40000' },
    { as: 'malformed', text: '[1,2,3]' },
    { as: 'malformed', text: 'not json at all' },
    { as: 'malformed', text: JSON.stringify({ ...(JSON.parse(assistantLine({ messageId: 'msg_nots', timestamp: 'x', input: 30_000 })) as object), timestamp: undefined }) },
    { as: 'parsed', text: assistantLine({ messageId: 'msg_B', timestamp: '2026-01-06T15:00:00.000Z', input: 2000, output: 1000, cacheRead: 5000 }) },
    { as: 'synthetic', text: assistantLine({ messageId: 'msg_syn', timestamp: '2026-01-06T15:01:00.000Z', model: '<synthetic>', input: 50_000, content: [{ type: 'text', text: 'No response requested.' }] }) },
    { as: 'apiError', text: assistantLine({ messageId: 'msg_err', timestamp: '2026-01-06T15:02:00.000Z', apiError: true, input: 50_000, content: [{ type: 'text', text: 'API Error: 529 Overloaded' }] }) },
    { as: 'binary', text: assistantLine({ messageId: 'msg_nul', timestamp: '2026-01-06T15:03:00.000Z', input: 50_000 }).replace('Done.', 'Do\u0000ne.') },
    { as: 'parsed', text: assistantLine({ messageId: 'msg_escaped_nul', timestamp: '2026-01-06T15:04:00.000Z', input: 7, output: 3, content: [{ type: 'text', text: 'a\u0000b' }] }) },
    // Stamped after --now: read, not counted.
    { as: 'parsed', text: assistantLine({ messageId: 'msg_future', timestamp: '2026-01-06T17:00:00.000Z', input: 90_000, output: 9000 }) },
  ];
  const tornLine = assistantLine({ messageId: 'msg_torn', timestamp: '2026-01-06T15:30:00.000Z', input: 77_777, output: 7 });
  const garbageLines: Line[] = [
    { as: 'malformed', text: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d]) },
    { as: 'malformed', text: Buffer.from([0x1a, 0xfe, 0xfa]) },
    { as: 'binary', text: Buffer.from([0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x10]) },
    { as: 'binary', text: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]) },
  ];

  function badRoot(): { root: string; dangling: string } {
    const dir = root();
    const session = writeTranscript(dir, 'session-bad', [], { trailingNewline: false });
    const content = Buffer.concat([...sessionLines.map((line) => Buffer.concat([Buffer.from(line.text), Buffer.from('\n')])), Buffer.from(tornLine.slice(0, 200))]);
    fs.writeFileSync(session, content);
    const projectDir = path.dirname(session);
    fs.writeFileSync(path.join(projectDir, 'empty.jsonl'), '');
    // A binary file named .jsonl, ending without a newline (that tail is never read).
    fs.writeFileSync(path.join(projectDir, 'image.jsonl'), Buffer.concat([...garbageLines.map((line) => Buffer.concat([Buffer.from(line.text), Buffer.from('\n')])), Buffer.from([0x00, 0x01, 0x02])]));
    const dangling = path.join(projectDir, 'dangling.jsonl');
    fs.symlinkSync(path.join(dir, 'nowhere.jsonl'), dangling);
    return { root: dir, dangling };
  }

  it('exits 0 with the exact tokens of the good lines', () => {
    const { root: dir } = badRoot();
    const snapshot = status(['--config-dir', dir, '--now', NOW, '--plan', 'pro']);
    const window = snapshot.quota.currentWindow;
    expect(window).not.toBeNull();
    expect(window?.startTime).toBe('2026-01-06T14:05:00.000Z');
    expect(window?.tokens).toEqual({ input: 3007, output: 1503, cacheCreation: 0, cacheRead: 5000 });
    expect(window?.tokensUsed).toBe(4510);
    expect(window?.messages).toBe(3);
    expect(window?.toolCalls).toBe(1);
    expect(snapshot.quota.lastActivity).toBe('2026-01-06T15:04:00.000Z');
    expect(snapshot.quota.limitReached).toBeNull();
    expect(snapshot.diagnostics.duplicatesDropped).toBe(1);
  });

  it('counts every skipped line by reason, exactly as put in', () => {
    const { root: dir, dangling } = badRoot();
    const snapshot = status(['--config-dir', dir, '--now', NOW]);
    const all = [...sessionLines, ...garbageLines];
    const expected: Record<Skip, number> = { malformed: 0, unknownType: 0, empty: 0, binary: 0, synthetic: 0, apiError: 0, implausible: 0, oversized: 0 };
    for (const line of all) if (line.as !== 'parsed') expected[line.as] += 1;
    const d = snapshot.diagnostics;
    expect(d.skipped).toEqual(expected);
    expect(expected).toEqual({ malformed: 6, unknownType: 0, empty: 2, binary: 3, synthetic: 1, apiError: 1, implausible: 0, oversized: 0 });
    expect(d.linesSkipped).toBe(13);
    // The torn last line and the garbage file's unterminated tail are not lines yet.
    expect(d.linesRead).toBe(all.length);
    expect(d.filesSeen).toBe(3);
    expect(d.unreadable).toEqual([{ path: dangling, error: 'ENOENT' }]);
  });

  it('the torn line counts once its newline arrives', () => {
    const { root: dir } = badRoot();
    const session = path.join(dir, 'projects', fs.readdirSync(path.join(dir, 'projects'))[0] as string, 'session-bad.jsonl');
    fs.appendFileSync(session, `${tornLine.slice(200)}\n`);
    const snapshot = status(['--config-dir', dir, '--now', NOW]);
    expect(snapshot.quota.currentWindow?.tokens.input).toBe(3007 + 77_777);
    expect(snapshot.diagnostics.linesRead).toBe(sessionLines.length + garbageLines.length + 1);
  });

  it('renders the panel (no --json) on the same root without failing', () => {
    const { root: dir } = badRoot();
    const result = runCco(['status', '--config-dir', dir, '--now', NOW]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('4,510');
  });

  it('an unreadable transcript is listed in diagnostics.unreadable; the others still count', () => {
    const dir = root();
    writeTranscript(dir, 'good', [assistantLine({ messageId: 'msg_good', timestamp: '2026-01-06T15:00:00.000Z', input: 600, output: 60 })]);
    const locked = writeTranscript(dir, 'locked', [assistantLine({ messageId: 'msg_locked', timestamp: '2026-01-06T15:10:00.000Z', input: 9000 })]);
    fs.chmodSync(locked, 0o000);
    let chmodBlocksReads = false;
    try {
      fs.closeSync(fs.openSync(locked, 'r'));
    } catch {
      chmodBlocksReads = true;
    }
    if (!chmodBlocksReads) {
      // Running as root: chmod 000 does not stop reads. A dangling symlink named .jsonl does.
      fs.rmSync(locked);
      fs.symlinkSync(path.join(dir, 'gone.jsonl'), locked);
    }
    const snapshot = status(['--config-dir', dir, '--now', NOW]);
    expect(snapshot.diagnostics.unreadable).toEqual([{ path: locked, error: chmodBlocksReads ? 'EACCES' : 'ENOENT' }]);
    expect(snapshot.quota.currentWindow?.tokensUsed).toBe(660);
  });

  it('a root holding only empty and garbage files: no window, exit 0', () => {
    const dir = root();
    const project = path.join(dir, 'projects', 'p');
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(path.join(project, 'a.jsonl'), '');
    fs.writeFileSync(path.join(project, 'b.jsonl'), Buffer.from([0x00, 0x0a, 0xff, 0x0a, 0x7b, 0x0a]));
    const snapshot = status(['--config-dir', dir, '--now', NOW]);
    expect(snapshot.quota.currentWindow).toBeNull();
    expect(snapshot.quota.percentUsed).toBe(0);
    expect(snapshot.diagnostics.skipped).toMatchObject({ binary: 1, malformed: 2 });
  });

  it('events stamped in the future (clock skew) are not counted and are reported', () => {
    const dir = root();
    const now = Date.now();
    writeTranscript(dir, 'skewed', [
      assistantLine({ messageId: 'msg_now', timestamp: new Date(now - 30 * 60_000).toISOString(), input: 1234, output: 66 }),
      assistantLine({ messageId: 'msg_later', timestamp: new Date(now + 2 * 3_600_000).toISOString(), input: 55_555, output: 5 }),
    ]);
    const snapshot = status(['--config-dir', dir]);
    expect(snapshot.quota.currentWindow?.tokensUsed).toBe(1300);
    expect(snapshot.diagnostics.warnings.some((warning) => /1 transcript events? (is|are) stamped in the future/.test(warning))).toBe(true);
  });
});

describe('cco status: config roots', () => {
  it('a missing config root: exit 2 with one line', () => {
    const missing = path.join(root(), 'nope');
    const result = runCco(['status', '--json', '--config-dir', missing, '--now', NOW]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(missing);
  });

  it('CLAUDE_CONFIG_DIR naming only missing roots: exit 2 with one line', () => {
    const base = root();
    const result = runCco(['status', '--json', '--now', NOW], { env: { CLAUDE_CONFIG_DIR: `${path.join(base, 'x')},${path.join(base, 'y')}` } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('no Claude Code config directory found');
  });

  it('CLAUDE_CONFIG_DIR pointing at two roots sums both (a message copied across them counted once)', () => {
    const a = root();
    const b = root();
    writeTranscript(a, 'session-a', [assistantLine({ messageId: 'msg_1', timestamp: '2026-01-06T14:05:00.000Z', input: 1000, output: 100 })]);
    writeTranscript(b, 'session-b', [
      assistantLine({ messageId: 'msg_1', timestamp: '2026-01-06T14:05:00.000Z', input: 1000, output: 100 }),
      assistantLine({ messageId: 'msg_2', timestamp: '2026-01-06T15:05:00.000Z', input: 2000, output: 200 }),
    ]);
    writeTranscript(b, 'session-c', [assistantLine({ messageId: 'msg_3', timestamp: '2026-01-06T15:30:00.000Z', input: 400, output: 40 })], { cwd: '/Users/dana/code/other' });
    const snapshot = status(['--now', NOW], { CLAUDE_CONFIG_DIR: ` ${a} , ${b} ` });
    expect(snapshot.diagnostics.roots).toEqual([a, b]);
    expect(snapshot.diagnostics.filesSeen).toBe(3);
    expect(snapshot.quota.currentWindow?.tokensUsed).toBe(3740);
    expect(snapshot.quota.currentWindow?.messages).toBe(3);
    expect(snapshot.diagnostics.duplicatesDropped).toBe(1);
  });

  it('CLAUDE_CONFIG_DIR with one missing entry still uses the other', () => {
    const a = root();
    writeTranscript(a, 'session-a', [assistantLine({ messageId: 'msg_1', timestamp: '2026-01-06T14:05:00.000Z', input: 1000, output: 100 })]);
    const snapshot = status(['--now', NOW], { CLAUDE_CONFIG_DIR: `${a},${path.join(a, 'missing')}` });
    expect(snapshot.diagnostics.roots).toEqual([a]);
    expect(snapshot.quota.currentWindow?.tokensUsed).toBe(1100);
  });
});

describe('cco status: a large, busy transcript', () => {
  // A transcript over 4 MB is first read from its tail (the last 10 h); when no 5-hour gap shows
  // where the window chain starts, the lookback doubles and the file is read again from further
  // back. Regression: the ledger's line counts used to add up across those reads (3 here, not 1).
  it('a large, busy transcript: the one malformed line is reported once', () => {
    const dir = root();
    const now = Date.parse(NOW);
    const pad = 'the quick brown fox jumps over the lazy dog '.repeat(50);
    const lines: string[] = [];
    // A line every minute for 30 hours (no 5-hour gap), an assistant response every 10 minutes.
    for (let m = 30 * 60; m >= 1; m -= 1) {
      const ts = new Date(now - m * 60_000).toISOString();
      if (m === 20) lines.push('{"type":"assistant","message":{"id":"msg_cut"');
      else if (m % 10 === 0) lines.push(assistantLine({ messageId: `msg_${m}`, timestamp: ts, input: 10, output: 1, content: [{ type: 'text', text: pad }] }));
      else lines.push(userLine({ timestamp: ts, toolResultFor: `toolu_${m}`, text: pad }));
    }
    const big = writeTranscript(dir, 'busy', lines);
    expect(fs.statSync(big).size).toBeGreaterThan(4 << 20);
    fs.utimesSync(big, new Date(now), new Date(now));
    // An older session, so that the lookback has somewhere to go.
    const old = writeTranscript(dir, 'old', [assistantLine({ messageId: 'msg_old', timestamp: new Date(now - 48 * 3_600_000).toISOString(), input: 1 })], { cwd: '/Users/dana/code/old' });
    fs.utimesSync(old, new Date(now - 48 * 3_600_000), new Date(now - 48 * 3_600_000));

    const snapshot = status(['--config-dir', dir, '--now', NOW]);
    expect(snapshot.diagnostics.skipped.malformed).toBe(1);
    expect(snapshot.diagnostics.linesSkipped).toBe(1);
  });
});
