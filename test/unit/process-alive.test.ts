import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../main/core/process-alive.js';

describe('isProcessAlive (locks, temp files and live sessions share it)', () => {
  it('is true for a running process and false once it has exited', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.pid).toBeGreaterThan(0);
    expect(isProcessAlive(child.pid as number)).toBe(false);
  });

  it('never treats a pid that names a group or nothing as one running process', () => {
    // kill(0) and kill(-1) would reach a whole group and succeed: a pid read from a file is untrusted.
    for (const pid of [0, -1, -process.pid, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(isProcessAlive(pid)).toBe(false);
  });
});
