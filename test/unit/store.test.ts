import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isRecord,
  readJsonStateSync,
  tryHoldLockSync,
  uniqueSuffix,
  updateJsonStateSync,
  withLockSync,
  writeFileAtomicSync,
  writeJsonAtomicSync,
} from '../../main/core/store.js';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-store-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Counter {
  count: number;
}
function parseCounter(raw: unknown): Counter {
  if (!isRecord(raw) || typeof raw.count !== 'number') throw new Error('count must be a number');
  return { count: raw.count };
}

/** A pid that certainly belonged to a process and is now gone. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn node');
  return child.pid;
}

function writeLock(file: string, pid: number, createdAt: Date): void {
  fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid, createdAt: createdAt.toISOString() }));
}

describe('writeFileAtomicSync', () => {
  it('replaces the content and leaves no temp files', () => {
    const file = path.join(dir, 'state.json');
    writeFileAtomicSync(file, 'first');
    writeFileAtomicSync(file, 'second');
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  });

  it('creates a missing parent directory', () => {
    const file = path.join(dir, 'a', 'b', 'state.json');
    writeFileAtomicSync(file, 'x');
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('removes its temp file when the rename fails', () => {
    const file = path.join(dir, 'target');
    fs.mkdirSync(path.join(file, 'occupied'), { recursive: true }); // renaming a file over a non-empty directory fails
    expect(() => writeFileAtomicSync(file, 'x')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['target']);
  });

  it('writeJsonAtomicSync writes 2-space JSON with a trailing newline', () => {
    const file = path.join(dir, 'state.json');
    writeJsonAtomicSync(file, { a: [1] });
    expect(fs.readFileSync(file, 'utf8')).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});

describe('readJsonStateSync', () => {
  it('returns null without a warning when the file is missing', () => {
    expect(readJsonStateSync(path.join(dir, 'nope.json'), parseCounter)).toEqual({ value: null, warning: null });
  });

  it('returns the parsed value', () => {
    const file = path.join(dir, 'state.json');
    writeJsonAtomicSync(file, { count: 3 });
    expect(readJsonStateSync(file, parseCounter)).toEqual({ value: { count: 3 }, warning: null });
  });

  it('moves a file that is not JSON aside, keeping its bytes, and warns naming both paths', () => {
    const file = path.join(dir, 'quota-tracker.json');
    const bytes = '{"count": 1,\n  oops';
    fs.writeFileSync(file, bytes);
    const { value, warning } = readJsonStateSync(file, parseCounter);
    expect(value).toBeNull();
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    const aside = path.join(dir, files[0] ?? '');
    expect(files[0]).toMatch(/^quota-tracker\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(fs.readFileSync(aside, 'utf8')).toBe(bytes);
    expect(warning).toContain(`${file} was corrupt (`);
    expect(warning).toContain(`); moved aside to ${aside}; starting fresh`);
    expect(warning).not.toContain('\n');
  });

  it('treats a parse function that throws as corrupt', () => {
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, '{"count": "three"}');
    const { value, warning } = readJsonStateSync(file, parseCounter);
    expect(value).toBeNull();
    expect(warning).toMatch(/state\.json was corrupt \(count must be a number\); moved aside to .*state\.json\.corrupt-/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('never overwrites an earlier corrupt copy', () => {
    const file = path.join(dir, 'state.json');
    for (const bytes of ['one', 'two', 'three']) {
      fs.writeFileSync(file, bytes);
      readJsonStateSync(file, parseCounter);
    }
    const kept = fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
    expect(kept.sort()).toEqual(['one', 'three', 'two']);
  });
});

describe('withLockSync', () => {
  it('holds a lock file naming this pid while fn runs, and removes it after', () => {
    const file = path.join(dir, 'state.json');
    const seen = withLockSync(file, () => JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as unknown);
    expect(seen).toMatchObject({ pid: process.pid, createdAt: expect.any(String) as unknown });
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('releases the lock when fn throws', () => {
    const file = path.join(dir, 'state.json');
    expect(() => withLockSync(file, () => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('creates the directory for the lock when it is missing', () => {
    const file = path.join(dir, 'new', 'state.json');
    expect(withLockSync(file, () => 42)).toBe(42);
  });

  it('takes over a lock left by a dead process', () => {
    const file = path.join(dir, 'state.json');
    writeLock(file, deadPid(), new Date());
    expect(withLockSync(file, () => 'ran', { timeoutMs: 1_000 })).toBe('ran');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock older than staleMs even if its pid is alive', () => {
    const file = path.join(dir, 'state.json');
    writeLock(file, process.pid, new Date(Date.now() - 60_000));
    expect(withLockSync(file, () => 'ran', { timeoutMs: 1_000 })).toBe('ran');
  });

  it('times out on a held lock with a clear one-line message', () => {
    const file = path.join(dir, 'state.json');
    writeLock(file, process.pid, new Date());
    const started = Date.now();
    expect(() => withLockSync(file, () => 'ran', { timeoutMs: 150 })).toThrow(
      `${file} is locked by pid ${process.pid}; try again, or delete ${file}.lock if no cco is running`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(fs.existsSync(`${file}.lock`)).toBe(true); // someone else's: left alone
  });

  it('waits on an unreadable lock until its mtime makes it stale', () => {
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(`${file}.lock`, ''); // a holder between open and write
    expect(() => withLockSync(file, () => 'ran', { timeoutMs: 50 })).toThrow(`${file} is locked by another process`);
    expect(withLockSync(file, () => 'ran', { timeoutMs: 2_000, staleMs: 100 })).toBe('ran');
  });

  it('does not remove a lock that another process took over while fn overran', () => {
    const file = path.join(dir, 'state.json');
    withLockSync(file, () => writeLock(file, process.pid, new Date()));
    expect(fs.existsSync(`${file}.lock`)).toBe(true);
  });
});

describe('tryHoldLockSync (a lock held while a process runs)', () => {
  it('is held until released; a second holder, even in this process, gets null without waiting', () => {
    const file = path.join(dir, 'owner.lock');
    const held = tryHoldLockSync(file);
    expect(held?.held()).toBe(true);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(tryHoldLockSync(file)).toBeNull();
    held?.release();
    expect(fs.existsSync(file)).toBe(false);
    const next = tryHoldLockSync(file);
    expect(next?.held()).toBe(true);
    // A release by a holder that lost the lock leaves the new holder's file alone.
    held?.release();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('takes over a lock whose pid is gone, whatever its age; the old holder then knows it lost it', () => {
    const file = path.join(dir, 'owner.lock');
    fs.writeFileSync(file, JSON.stringify({ pid: deadPid(), createdAt: new Date().toISOString() }));
    const held = tryHoldLockSync(file);
    expect(held?.held()).toBe(true);
    fs.writeFileSync(file, JSON.stringify({ pid: deadPid(), createdAt: new Date().toISOString() }));
    expect(held?.held()).toBe(false);
  });

  it('leaves a lock with no pid yet (being written) to its writer unless it is old', () => {
    const file = path.join(dir, 'owner.lock');
    fs.writeFileSync(file, '');
    expect(tryHoldLockSync(file)).toBeNull();
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    expect(tryHoldLockSync(file)?.held()).toBe(true);
  });
});

describe('updateJsonStateSync', () => {
  it('starts from null, writes the result and returns it', () => {
    const file = path.join(dir, 'state.json');
    const bump = (current: Counter | null): Counter => ({ count: (current?.count ?? 0) + 1 });
    expect(updateJsonStateSync(file, parseCounter, bump)).toEqual({ value: { count: 1 }, warning: null });
    expect(updateJsonStateSync(file, parseCounter, bump)).toEqual({ value: { count: 2 }, warning: null });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ count: 2 });
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  });

  it('moves a corrupt file aside, warns, and starts fresh', () => {
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, 'not json');
    const result = updateJsonStateSync(file, parseCounter, (current) => ({ count: current === null ? 100 : -1 }));
    expect(result.value).toEqual({ count: 100 });
    expect(result.warning).toMatch(/was corrupt .* moved aside to .*state\.json\.corrupt-.*; starting fresh$/);
    const names = fs.readdirSync(dir).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toBe('state.json');
    expect(fs.readFileSync(path.join(dir, names[1] ?? ''), 'utf8')).toBe('not json');
  });
});

describe('uniqueSuffix', () => {
  it('gives this process a different name part on every call, starting with the pid', () => {
    const parts = Array.from({ length: 5000 }, () => uniqueSuffix());
    expect(new Set(parts).size).toBe(parts.length);
    for (const part of parts) expect(part).toMatch(new RegExp(`^${process.pid}-[0-9a-z]+-[0-9a-z]+$`));
  });
});
