/**
 * How every `cco` command ends when it fails: one line on stderr and the exit code (2 for a usage
 * or config-directory mistake, 1 for anything else). Shared by the whole CLI's entry (cco.ts) and
 * the status command's own small entry (status-entry.ts), so both answer the same way.
 */
import { ConfigRootError } from '../core/paths.js';
import { errorMessage } from '../core/store.js';
import { visibleLine } from '../../shared/sanitize.js';
import { UsageError } from './command-context.js';
import type { Io } from './io.js';

function isArgError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS');
}

/** One clear line for a parseArgs error (its own message is long and mentions positionals). */
function argErrorLine(command: string, error: Error): string {
  const option = /'([^']+)'/.exec(error.message)?.[1];
  if (error.message.startsWith('Unknown option') && option) return `unknown option ${option} for "cco ${command}" (see cco ${command} --help)`;
  if (error.message.includes('argument missing') && option) return `option ${option.split(' ')[0]} needs a value`;
  if (error.message.startsWith('Unexpected argument') && option) return `unexpected argument "${option}" for "cco ${command}"`;
  return error.message.split('\n')[0] ?? error.message;
}

/** Runs `command`'s body; its errors become one line each (messages quote what was asked for and what was found). */
export async function runCommand(command: string, io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigRootError) {
      io.stderr(`cco: ${visibleLine(error.message)}\n`);
      return 2;
    }
    if (isArgError(error)) {
      io.stderr(`cco: ${visibleLine(argErrorLine(command, error as Error))}\n`);
      return 2;
    }
    io.stderr(`cco: ${visibleLine(errorMessage(error))}\n`);
    return 1;
  }
}
