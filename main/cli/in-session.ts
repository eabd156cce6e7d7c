/**
 * The two commands Claude Code runs inside the user's session, after every hook event and every
 * assistant message: `cco hook` and `cco statusline`. bin/cco.js loads this small entry (its own
 * bundle) instead of the whole CLI for them, so they start as fast as Node allows.
 */
import type { Io } from './io.js';
import { processIo } from './io.js';

export const IN_SESSION_COMMANDS = ['hook', 'statusline'] as const;

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'hook') {
    const { runHook } = await import('./hook.js');
    return runHook(rest, io, process.stdin);
  }
  if (command === 'statusline') {
    const { runStatusLine } = await import('./statusline.js');
    return runStatusLine(rest, io, process.stdin);
  }
  io.stderr(`cco: "${command ?? ''}" is not an in-session command\n`);
  return 2;
}
