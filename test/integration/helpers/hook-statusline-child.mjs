// Child process for hook-statusline.test.ts: runs `cco hook` or `cco statusline` the way the CLI
// will once cco.ts dispatches them, with the real process.stdin/stdout. Needs the build (dist/).
// usage: node hook-statusline-child.mjs hook|statusline [ARGS...]
import { runHook } from '../../../dist/main/cli/hook.js';
import { processIo } from '../../../dist/main/cli/io.js';
import { runStatusLine } from '../../../dist/main/cli/statusline.js';

const [command, ...args] = process.argv.slice(2);
const run = command === 'statusline' ? runStatusLine : runHook;
run(args, processIo(), process.stdin).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`child: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 99;
  },
);
