// store.ts and regular-file.ts against the files a user's machine really has: symlinks (a dotfile
// manager's), FIFOs and devices where a file is expected, left-over temp files, oversized files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTooLargeError, NotRegularFileError, openRegularFileSync, readRegularFileSync } from '../../main/core/regular-file.js';
import { readLiveSessionFiles } from '../../main/core/sources/sessions.js';
import {
  MAX_STATE_FILE_BYTES,
  STALE_TEMP_MS,
  isRecord,
  readJsonStateSync,
  removeStaleTempFiles,
  resolveLinkTarget,
  updateJsonStateSync,
  writeFileAtomicSync,
} from '../../main/core/store.js';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-store-files-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function parseCounter(raw: unknown): { count: number } {
  if (!isRecord(raw) || typeof raw.count !== 'number') throw new Error('count must be a number');
  return { count: raw.count };
}

describe('writeFileAtomicSync through symlinks', () => {
  it('writes the end of a chain of links (relative and absolute) and keeps every link', () => {
    const real = path.join(dir, 'dotfiles', 'real.json');
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, 'old');
    fs.symlinkSync(real, path.join(dir, 'dotfiles', 'middle.json'));
    const link = path.join(dir, 'state.json');
    fs.symlinkSync(path.join('dotfiles', 'middle.json'), link);
    expect(resolveLinkTarget(link)).toBe(real);
    writeFileAtomicSync(link, 'new');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.lstatSync(path.join(dir, 'dotfiles', 'middle.json')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('new');
    expect(fs.readdirSync(path.join(dir, 'dotfiles')).sort()).toEqual(['middle.json', 'real.json']);
  });

  it('a dangling link: the target is created, the link kept', () => {
    const real = path.join(dir, 'real.json');
    const link = path.join(dir, 'state.json');
    fs.symlinkSync(real, link);
    writeFileAtomicSync(link, 'made');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('made');
  });

  it('a dangling link into a missing folder: a one-line error, and no folder made', () => {
    const link = path.join(dir, 'state.json');
    fs.symlinkSync(path.join(dir, 'gone', 'real.json'), link);
    expect(() => writeFileAtomicSync(link, 'x')).toThrow(/^cannot write .*state\.json: it links to .*gone.*real\.json, whose folder does not exist$/);
    expect(fs.existsSync(path.join(dir, 'gone'))).toBe(false);
  });

  it('a loop of links is an error, not a hang', () => {
    fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    expect(() => writeFileAtomicSync(path.join(dir, 'a'), 'x')).toThrow(/too many levels of symbolic links/);
  });

  it('a corrupt state file behind a link is moved aside at its target; the link stays for the next write', () => {
    const real = path.join(dir, 'real.json');
    const link = path.join(dir, 'counter.json');
    fs.writeFileSync(real, '{not json');
    fs.symlinkSync(real, link);
    const read = readJsonStateSync(link, parseCounter);
    expect(read.value).toBeNull();
    expect(read.warning).toContain(`moved aside to ${real}.corrupt-`);
    updateJsonStateSync(link, parseCounter, () => ({ count: 1 }));
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(fs.readFileSync(real, 'utf8'))).toEqual({ count: 1 });
  });
});

describe('stale temp files', () => {
  const age = (file: string, ms: number): void => {
    const at = new Date(Date.now() - ms);
    fs.utimesSync(file, at, at);
  };

  // Above Linux's largest pid (2^22): no process has it.
  const DEAD = 4194399;

  it('a write removes stale temps of ours from its folder: not fresh ones, not a live writer\'s, not foreign names', () => {
    const file = path.join(dir, 'counter.json');
    const names = {
      stale: `counter.json.tmp-${DEAD}-1-abc`,
      staleOldStyle: `counter.json.tmp-${DEAD}-9f3e`,
      staleOther: `quota.json.tmp-${DEAD}-2-k3`,
      fresh: `counter.json.tmp-${DEAD}-3-abc`,
      liveWriter: `counter.json.tmp-${process.pid}-1-abc`,
      foreign: 'counter.json.tmp-mine',
    };
    for (const name of Object.values(names)) fs.writeFileSync(path.join(dir, name), 'half');
    for (const name of [names.stale, names.staleOldStyle, names.staleOther, names.liveWriter, names.foreign]) age(path.join(dir, name), STALE_TEMP_MS + 60_000);
    writeFileAtomicSync(file, 'x');
    expect(fs.readdirSync(dir).sort()).toEqual(['counter.json', names.fresh, names.liveWriter, names.foreign].sort());
  });

  it('removeStaleTempFiles over a folder leaves folders alone', () => {
    fs.writeFileSync(path.join(dir, `a.json.tmp-${DEAD}-2-3`), '');
    fs.mkdirSync(path.join(dir, `b.json.tmp-${DEAD}-2-3`));
    for (const name of [`a.json.tmp-${DEAD}-2-3`, `b.json.tmp-${DEAD}-2-3`]) age(path.join(dir, name), STALE_TEMP_MS + 1);
    expect(removeStaleTempFiles(dir)).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([`b.json.tmp-${DEAD}-2-3`]);
  });
});

describe('regular files only', () => {
  // FIFOs are tested through the real CLI (test/integration/files.test.ts) with a spawn timeout:
  // in this process a regression would block the test worker instead of failing a test.
  it('refuses a device, directly or through a link, and names what it found', () => {
    expect(() => openRegularFileSync('/dev/zero')).toThrow(NotRegularFileError);
    expect(() => readRegularFileSync('/dev/zero', 1024)).toThrow(/is a character device, not a regular file/);
    const link = path.join(dir, 'zero.jsonl');
    fs.symlinkSync('/dev/zero', link);
    expect(() => openRegularFileSync(link)).toThrow(/zero\.jsonl is a character device/);
    expect(() => readRegularFileSync(dir, 1024)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });

  it('refuses a file over the limit before reading it', () => {
    const big = path.join(dir, 'big.json');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, 3 * 1024 * 1024 * 1024); // sparse: 3 GB of size, no disk
    fs.closeSync(fd);
    expect(() => readRegularFileSync(big, 1024)).toThrow(FileTooLargeError);
  });

  it('a state file over MAX_STATE_FILE_BYTES is moved aside unread, with the reason', () => {
    const file = path.join(dir, 'counter.json');
    fs.writeFileSync(file, JSON.stringify({ count: 1, pad: 'x'.repeat(MAX_STATE_FILE_BYTES) }));
    const read = readJsonStateSync(file, parseCounter);
    expect(read.value).toBeNull();
    expect(read.warning).toMatch(/was corrupt \(over \d+ bytes\); moved aside/);
  });

  it('readLiveSessionFiles skips an oversized file and reads the rest', () => {
    const sessions = path.join(dir, 'sessions');
    fs.mkdirSync(sessions);
    const live = { pid: process.pid, cwd: '/w', startedAt: 1, status: 'idle' };
    fs.writeFileSync(path.join(sessions, '12.json'), JSON.stringify({ ...live, sessionId: 'huge', pad: 'x'.repeat(1024 * 1024) }));
    fs.writeFileSync(path.join(sessions, '13.json'), JSON.stringify({ ...live, sessionId: 'real' }));
    expect(readLiveSessionFiles([dir], () => true).map((s) => s.sessionId)).toEqual(['real']);
  });
});
