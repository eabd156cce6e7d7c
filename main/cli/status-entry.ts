/**
 * `cco status` (and a bare `cco`), the command people run most and panels run in a loop: bin/cco.js
 * loads this entry's own bundle for it, about half the whole CLI's, so it starts faster. It
 * answers exactly as the whole CLI does (the same runStatus, the same error lines).
 */
import { processIo, type Io } from './io.js';
import { runCommand } from './run-command.js';

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [command = 'status', ...rest] = argv;
  if (command !== 'status') {
    io.stderr(`cco: "${command}" is not the status command\n`);
    return 2;
  }
  return runCommand(command, io, async () => {
    const { runStatus } = await import('./status.js');
    return runStatus(rest, io);
  });
}
