/**
 * `cco status --watch`: the panel redrawn from the Engine's Snapshots until Ctrl-C; with
 * `--format waybar|plain`, one line per change for a desktop panel's continuous mode.
 */
import { formatClockTime, formatLocalTime } from '../../shared/format.js';
import { visibleLine } from '../../shared/sanitize.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { Engine } from '../core/engine.js';
import { followAutoStart } from '../core/planner/auto-start-follow.js';
import { followResets } from '../core/planner/reset-follow.js';
import { launchSettings } from '../core/planner/planner-settings.js';
import { loadSettings } from '../core/settings.js';
import { applyOverrides } from '../core/settings-schema.js';
import { errorMessage } from '../core/store.js';
import type { CommandContext } from './command-context.js';
import type { Io } from './io.js';
import { launchEnvironment, warn } from './launch.js';
import { renderPanelLine, type PanelFormat } from './render/panel-formats.js';
import { followedLines } from './render/queue-panel.js';

/** One line on stderr, made safe: errors can quote paths and queued names. */
function sayError(io: Io, text: string): void {
  io.stderr(`cco: ${visibleLine(text)}\n`);
}

const CLEAR = '\u001b[2J\u001b[H';

function watchEngine(ctx: CommandContext): Engine {
  const root = ctx.roots[0];
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
  return engine;
}

/**
 * What the tray app does at the reset, run here too: sessions scheduled at the reset follow the
 * server's reset when it moves (reset-follow.ts), and the guarded auto-start (setting
 * `autoStartAtReset`) runs, whichever of the two processes holds its lock. `say` gets one line per
 * thing to tell. Not in a run with a one-off --plan or --limit (it writes no state). Returns the
 * function that stops both.
 */
function watchResets(ctx: CommandContext, io: Io, engine: Engine, say: (line: string) => void): () => void {
  if (!ctx.writesState) return () => {};
  const stopResetFollow = followResets(engine, {
    root: ctx.roots[0],
    now: Date.now,
    onMoved: (moved) => {
      for (const line of followedLines(moved).trimEnd().split('\n')) say(`${formatLocalTime(Date.now())} ${line}`);
    },
    onError: (error) => sayError(io, `following the reset failed: ${errorMessage(error)}`),
  });
  const follower = followAutoStart(engine, {
    root: ctx.roots[0],
    now: Date.now,
    settings: () => engine.settings,
    // A visible terminal even with terminal "current": this one shows the panel.
    launch: () => ({ ...launchEnvironment(io, launchSettings(engine.settings)), needsWindow: true }),
    onReport: (report) => {
      warn(io, report.warning);
      for (const text of report.texts) say(`${formatLocalTime(Date.now())} ${text.title}: ${text.body}`);
    },
    onError: (error) => sayError(io, `auto-start at the reset failed: ${errorMessage(error)}`),
  });
  return () => {
    follower.stop();
    stopResetFollow();
  };
}

/** Resolves at Ctrl-C or a SIGTERM (Waybar stops its modules with one on reload). */
function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

export async function watchStatus(ctx: CommandContext, io: Io, render: (snapshot: Snapshot) => string): Promise<number> {
  const engine = watchEngine(ctx);
  // The footer says the view is live (when it last changed) and how to leave it.
  const footer = (snapshot: Snapshot): string => `updated at ${formatClockTime(snapshot.generatedAt)} · Ctrl-C to stop\n`;
  // What the auto-start did lately, kept under the panel (a line on stderr would be cleared by the next draw).
  let notes: string[] = [];
  const draw = (snapshot: Snapshot) => io.stdout(`${io.stdoutStream.isTTY ? CLEAR : ''}${render(snapshot)}\n${notes.map((note) => `${note}\n`).join('')}${footer(snapshot)}`);
  engine.on('snapshot', draw);
  engine.on('error', (error) => sayError(io, error.message));
  const stopAutoStart = watchResets(ctx, io, engine, (line) => {
    notes = [...notes, line].slice(-3);
    if (engine.snapshot) draw(engine.snapshot);
  });
  // Listening before the first draw: a Ctrl-C as soon as the panel shows still stops cleanly.
  const stopped = untilStopped();
  await engine.start();
  await stopped;
  stopAutoStart();
  await engine.stop();
  return 0;
}

const MINUTE_MS = 60_000;

/**
 * One line per change, for a panel that reads our stdout continuously (Waybar's `exec` without an
 * `interval`, with `"return-type": "json"`): no screen clearing, no footer, and a line only when it
 * differs from the last one. The Engine emits when the figures change; the countdown in the line
 * also changes as minutes pass, so the last Snapshot is re-rendered at each minute boundary (no
 * files are read for it). Each line is written synchronously (io.stdout), so it is never held in
 * a buffer while the panel waits.
 */
export async function watchPanel(ctx: CommandContext, io: Io, format: PanelFormat): Promise<number> {
  const engine = watchEngine(ctx);
  let last: Snapshot | null = null;
  let printed: string | null = null;
  let watching = false;
  const show = (now?: number): void => {
    if (!last || !watching) return;
    const line = renderPanelLine(last, format, now === undefined ? {} : { now });
    if (line === printed) return;
    printed = line;
    io.stdout(`${line}\n`);
  };
  engine.on('snapshot', (snapshot: Snapshot) => {
    last = snapshot;
    show();
  });
  engine.on('error', (error) => sayError(io, error.message));
  // stdout carries only the panel's lines: what the auto-start did goes to stderr (the panel's log).
  const stopAutoStart = watchResets(ctx, io, engine, (line) => io.stderr(`cco: ${line}\n`));
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    timer = setTimeout(() => {
      show(Date.now());
      arm();
    }, MINUTE_MS - (Date.now() % MINUTE_MS) + 50);
  };
  const stopped = untilStopped();
  await engine.start();
  // The first line once the transcripts are watched: from then on, no change goes unseen.
  watching = true;
  show();
  arm();
  await stopped;
  if (timer) clearTimeout(timer);
  stopAutoStart();
  await engine.stop();
  return 0;
}
