/**
 * Whether a process still runs, from its pid: for lock files (is the holder gone?), our temp
 * files (is the writer gone?) and Claude Code's live-session files. A pid read from a file is
 * untrusted: only a positive integer names one process (`kill(0)` or `kill(-1)` would signal a
 * whole group). EPERM means it runs under another user; only ESRCH says it is gone, so an
 * unexpected error never lets a live holder's lock be taken.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !(typeof error === 'object' && error !== null && 'code' in error && error.code === 'ESRCH');
  }
}
