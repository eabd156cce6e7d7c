// Child process for engine-vanish.test.ts: an Engine over ROOT whose watcher fails at once with
// ENOSPC, as `cco status --watch` runs it (default timers), waiting only for a signal. Prints
// "started" once the Engine runs; it must then stay up until it is killed. Needs the build (dist/).
// usage: node engine-limit-child.mjs ROOT
import { EventEmitter } from 'node:events';
import { Engine } from '../../../dist/main/core/engine.js';
import { loadSettings } from '../../../dist/main/core/settings.js';

const [root] = process.argv.slice(2);
const createWatcher = () => {
  const watcher = new EventEmitter();
  watcher.close = async () => {};
  setImmediate(() => watcher.emit('error', Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' })));
  return watcher;
};
const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), createWatcher });
engine.on('error', (error) => process.stderr.write(`${error.message}\n`));
const first = await engine.start();
process.stdout.write(`started ${(engine.snapshot ?? first).diagnostics.warnings.some((w) => w.includes('ENOSPC'))}\n`);
// Like watch.ts: nothing but a signal to wait for.
await new Promise((resolve) => process.once('SIGTERM', resolve));
await engine.stop();
process.stdout.write('stopped\n');
