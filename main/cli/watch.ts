/** `cco status --watch`: the panel redrawn from the Engine's Snapshots until Ctrl-C. */
import type { Snapshot } from '../../shared/snapshot.js';
import { Engine } from '../core/engine.js';
import { loadSettings, applyOverrides } from '../core/settings.js';
import type { CommandContext } from './context.js';
import type { Io } from './io.js';

const CLEAR = '\u001b[2J\u001b[H';

export async function watchStatus(ctx: CommandContext, io: Io, render: (snapshot: Snapshot) => string): Promise<number> {
  const root = ctx.roots[0] as string;
  const overrides = { plan: ctx.settings.plan, ...(ctx.settings.plan === 'custom' && ctx.settings.customLimit ? { limit: ctx.settings.customLimit } : {}) };
  const engine = new Engine({
    roots: ctx.roots,
    // A one-off --plan or --limit is not the user's setting: it must not reach the trackers.
    persist: ctx.writesState,
    loadSettings: () => {
      const loaded = loadSettings(root);
      return { settings: applyOverrides(loaded.settings, overrides), warning: loaded.warning };
    },
  });
  // The footer says the view is live (when it last changed) and how to leave it.
  const footer = (snapshot: Snapshot): string => `updated at ${new Date(snapshot.generatedAt).toLocaleTimeString('en-GB', { hour12: false })} · Ctrl-C to stop\n`;
  const draw = (snapshot: Snapshot) => io.stdout(`${io.stdoutStream.isTTY ? CLEAR : ''}${render(snapshot)}\n${footer(snapshot)}`);
  engine.on('snapshot', draw);
  engine.on('error', (error) => io.stderr(`cco: ${error.message}\n`));
  // Listening before the first draw: a Ctrl-C as soon as the panel shows still stops cleanly.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await engine.start();
  await stopped;
  await engine.stop();
  return 0;
}
