// Runs `cco queue|next|calendar` through the compiled run functions (dist/), with the same exit
// codes as main/cli/cco.ts, for planner-cli.test.ts when CCO_PLANNER_SHIM=1 (before those
// commands are dispatched from cco.ts). Any other command goes to the real main().
// usage: node planner-cli-child.mjs COMMAND [ARGS...]
import { main } from '../../../dist/main/cli/cco.js';
import { UsageError } from '../../../dist/main/cli/command-context.js';
import { processIo } from '../../../dist/main/cli/io.js';
import { ConfigRootError } from '../../../dist/main/core/paths.js';

const [command, ...rest] = process.argv.slice(2);
const io = processIo();
async function run() {
  switch (command) {
    case 'queue':
      return (await import('../../../dist/main/cli/queue.js')).runQueue(rest, io);
    case 'next':
      return (await import('../../../dist/main/cli/next.js')).runNext(rest, io, process.stdin);
    case 'calendar':
      return (await import('../../../dist/main/cli/calendar.js')).runCalendar(rest, io);
    default:
      return main(process.argv.slice(2), io);
  }
}
run().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof UsageError || error instanceof ConfigRootError) {
      process.stderr.write(`cco: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`cco: ${error.message.split('\n')[0]}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`cco: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
