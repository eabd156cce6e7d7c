/**
 * The user's own status line, chained before ours, gets a second to answer. A slow one (a git
 * status in a big repository) used to vanish whenever it overran; now its last complete output is
 * remembered in `<root>/statusline-previous-output.txt` (written atomically, only when it changed)
 * and shown when a run prints nothing in time.
 */
import { statePaths } from '../core/paths.js';
import { readRegularFileSync } from '../core/regular-file.js';
import { errorMessage, writeFileAtomicSync } from '../core/store.js';
import type { PreviousResult } from './statusline.js';

/** Larger than anything runPreviousStatusLine keeps (64 KB of text, up to 4 bytes a character). */
const CACHE_LIMIT = 256 * 1024;

function readCache(file: string): string | null {
  try {
    return readRegularFileSync(file, CACHE_LIMIT);
  } catch {
    return null;
  }
}

/**
 * Remember a complete output; fill in the remembered one when a run gave nothing (timed out
 * before printing, or failed to start). What went wrong is added to `problems`.
 */
export function rememberPreviousOutput(root: string, result: PreviousResult, problems: string[]): PreviousResult {
  const file = statePaths(root).previousStatusLineOutput;
  if (result.complete === true && result.output !== null) {
    if (readCache(file) !== result.output) {
      try {
        // A cache: no fsync, the status line runs after every message.
        writeFileAtomicSync(file, result.output, { durable: false });
      } catch (error) {
        problems.push(`could not remember the previous status line's output: ${errorMessage(error)}`);
      }
    }
    return result;
  }
  if (result.output !== null) return result;
  const cached = readCache(file);
  return cached !== null && cached !== '' ? { ...result, output: cached } : result;
}
