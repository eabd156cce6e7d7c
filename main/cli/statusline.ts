/**
 * `cco statusline`: Claude Code's status line (claude-code-facts.md §6). After every assistant
 * message Claude Code pipes a JSON payload in and shows what comes out. This command stores the
 * payload's server quota figures and context window (statusline-store.ts) and prints one line:
 *
 *   ◆ 42% of 5h · resets 2h 45m · week 31% · ctx 38% of 200k · cache cold in 59m · 630 tok/min
 *
 * The user's own previous status line, if the installer recorded one, runs with the same payload
 * and its output comes first. It runs after every message, so it stays small: of the transcript
 * only the tail is read (the last response's time), no directory walks, no watcher. It always exits 0 and always prints something.
 */
import type { ChildProcess } from 'node:child_process';
import { childProcess } from '../core/lazy-builtin.js';
import * as path from 'node:path';
import { formatCompactTokens, formatCountdown, formatPercent } from '../../shared/format.js';
import { quotaLevelRow } from '../../shared/levels.js';
import { visibleLine } from '../../shared/sanitize.js';
import { statePaths } from '../core/paths.js';
import { cacheColdText, cacheExpiresAt } from '../../shared/prompt-cache.js';
import { lastMainResponseAt } from '../core/context/session-reader.js';
import { fiveHourPercentPerMinute, quotaForecast } from '../core/forecast.js';
import { forecastShort } from '../../shared/forecast-text.js';
import type { QuotaForecast } from '../../shared/snapshot.js';
import { appendErrorLog } from '../core/sources/session-log.js';
import { freshServerQuota, readPreviousStatusLine, readStatusLineState, recordStatusLinePayload, type FreshServerQuota, type SevenDaySeen } from '../core/sources/statusline-store.js';
import { contextUsedPercent, parseStatusLinePayload, type ServerWindow, type StatusLinePayload } from '../core/sources/statusline-payload.js';
import { errorMessage, isRecord, readJsonFileSync } from '../core/store.js';
import { parseConfigDirArgs, readStdin, resolveStateRoot } from './hook.js';
import { rememberPreviousOutput } from './statusline-previous.js';
import type { Io } from './io.js';
import { createStyle, shouldUseColor, toneStyle, type Style, type StyleFn } from './render/terminal.js';

export const STATUSLINE_STDIN_LIMIT = 1024 * 1024;
export const STATUSLINE_STDIN_TIMEOUT_MS = 1_000;
/** The user's previous status line gets this long; after that it is killed and left out. */
export const PREVIOUS_STATUSLINE_TIMEOUT_MS = 1_000;
const PREVIOUS_OUTPUT_LIMIT = 64 * 1024;
/** A state file held longer than this by another writer is skipped this time, not waited for. */
const STATE_LOCK_TIMEOUT_MS = 250;

export const UNAVAILABLE_LINE = 'cco: status unavailable';

export const STATUSLINE_USAGE = `usage: cco statusline [--config-dir DIR] [--no-color]
  Claude Code's status line: reads the status-line JSON on stdin, stores the server's quota
  figures in <config dir>/statusline-state.json and prints one line. Always exits 0.
  --config-dir   Claude Code config root (default: $CLAUDE_CONFIG_DIR or ~/.claude)
  --no-color     no ANSI colours (NO_COLOR is honoured too)`;

export function statusLineErrorLogPath(root: string): string {
  return path.join(statePaths(root).logsDir, 'cco-statusline-errors.log');
}

/** What the status line uses from `quota-tracker.json` (written by `cco status` and the engine). */
export interface TrackerFigures {
  percentUsed: number | null;
  resetTime: string | null;
  /** Tokens per minute, when the tracker carries a `burnRate`. */
  burnRate: number | null;
  /** The 5-hour pace in percent of the plan's limit per minute, when the tracker carries both rates and the limit. */
  percentPerMinute?: number | null;
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Lenient and side-effect free: a missing or odd tracker is simply not used. */
export function readTrackerFigures(root: string): TrackerFigures | null {
  let raw: unknown;
  try {
    raw = readJsonFileSync(statePaths(root).quotaTracker);
  } catch {
    return null;
  }
  if (!isRecord(raw)) return null;
  const window = isRecord(raw.currentWindow) ? raw.currentWindow : null;
  const resetTime = window !== null && typeof window.resetTime === 'string' && !Number.isNaN(Date.parse(window.resetTime)) ? window.resetTime : null;
  let burnRate: number | null = null;
  let percentPerMinute: number | null = null;
  if (isRecord(raw.burnRate)) {
    burnRate = finite(raw.burnRate.tokensPerMinute);
    const lastHour = finite(raw.burnRate.lastHourTokensPerMinute);
    const limit = finite(raw.limit);
    if (burnRate !== null && lastHour !== null && limit !== null) percentPerMinute = fiveHourPercentPerMinute({ tokensPerMinute: burnRate, lastHourTokensPerMinute: lastHour }, limit);
  } else burnRate = finite(raw.burnRate);
  return { percentUsed: finite(raw.percentUsed), resetTime, burnRate, percentPerMinute };
}

export interface StatusLineView {
  payload: StatusLinePayload;
  /** Fresh server figures: the payload's own, or the last stored ones. */
  server: FreshServerQuota | null;
  tracker: TrackerFigures | null;
  now: number;
  color: boolean;
  /** When this session's prompt cache goes cold (its transcript's last response + the cache's life). */
  cacheExpiresAt?: string | null;
  /** Which window runs out first at this pace ({@link statusLineForecast}). */
  forecast?: QuotaForecast | null;
}

/** A tracker whose window has ended describes the past: its figures are not used. */
function trackerIsCurrent(tracker: TrackerFigures | null, now: number): tracker is TrackerFigures {
  return tracker !== null && (tracker.resetTime === null || Date.parse(tracker.resetTime) > now);
}

/**
 * The forecast rule (main/core/forecast.ts) over what the status line has at hand: the server's
 * figures and weekly log it just stored, and the 5-hour pace from the tracker while its window
 * is current (no pace, no 5-hour run-out). Null with no quota figure at all.
 */
export function statusLineForecast(server: FreshServerQuota | null, sevenDaySeen: readonly SevenDaySeen[], tracker: TrackerFigures | null, now: number): QuotaForecast | null {
  const current = trackerIsCurrent(tracker, now) ? tracker : null;
  const fiveHour = server?.fiveHour ?? null;
  const percentUsed = fiveHour?.usedPercent ?? current?.percentUsed ?? null;
  const week = server?.sevenDay ?? null;
  if (percentUsed === null && week === null) return null;
  const resetsAt = fiveHour?.resetsAt ?? current?.resetTime ?? null;
  return quotaForecast({
    now,
    fiveHour: { percentUsed: percentUsed ?? 0, resetsAt: resetsAt === null ? null : Date.parse(resetsAt), percentPerMinute: current?.percentPerMinute ?? 0 },
    sevenDay: week && server ? { ...week, observedAt: server.observedAt } : null,
    sevenDaySeen,
  });
}

/**
 * A quota figure's colour: its level's tone (shared/levels.ts). The status line reads no settings
 * (it runs after every message), so it uses the standard table; in the terminal's palette the
 * hyperaware table gives the same colours (yellow from 50 %, red from 90 %).
 */
export function quotaStyle(style: Style, percent: number): StyleFn {
  return toneStyle(style, quotaLevelRow(percent, false).tone);
}

/** Context turns yellow at 50 % of the window and red at 80 % ("compact now"). */
function contextStyle(style: Style, percent: number): StyleFn {
  if (percent >= 80) return style.red;
  if (percent >= 50) return style.yellow;
  return style.green;
}

function resetsIn(resetsAt: string | null, now: number): string | null {
  if (resetsAt === null) return null;
  const ms = Date.parse(resetsAt);
  return Number.isFinite(ms) && ms > now ? formatCountdown(ms, now) : null;
}

/** Our line, without a trailing newline (pure). Empty when there is nothing to show. */
export function renderStatusLine(view: StatusLineView): string {
  const style = createStyle(view.color);
  const parts: string[] = [];
  let quotaPercent: number | null = null;

  const fiveHour: ServerWindow | null = view.server?.fiveHour ?? null;
  if (fiveHour !== null) {
    quotaPercent = fiveHour.usedPercent;
    parts.push(`${quotaStyle(style, quotaPercent)(formatPercent(quotaPercent))} of 5h`);
    const resets = resetsIn(fiveHour.resetsAt, view.now);
    if (resets !== null) parts.push(`resets ${resets}`);
  } else if (view.tracker?.percentUsed != null) {
    const resets = resetsIn(view.tracker.resetTime, view.now);
    // Better nothing than a stale figure.
    if (trackerIsCurrent(view.tracker, view.now)) {
      quotaPercent = view.tracker.percentUsed;
      parts.push(`${quotaStyle(style, quotaPercent)(`~${formatPercent(quotaPercent)}`)} of 5h ${style.dim('(est.)')}`);
      if (resets !== null) parts.push(`resets ${resets}`);
    }
  }

  const week = view.server?.sevenDay ?? null;
  if (week !== null) {
    const resets = week.usedPercent >= 75 ? resetsIn(week.resetsAt, view.now) : null;
    parts.push(`week ${quotaStyle(style, week.usedPercent)(formatPercent(week.usedPercent))}${resets !== null ? ` (resets ${resets})` : ''}`);
    quotaPercent = Math.max(quotaPercent ?? 0, week.usedPercent);
  }

  const outlook = view.forecast ? forecastShort(view.forecast, new Date(view.now).toISOString()) : null;
  if (outlook !== null) parts.push(style.yellow(outlook));

  const ctx = contextUsedPercent(view.payload.contextWindow);
  if (ctx !== null) {
    const size = view.payload.contextWindow?.size ?? null;
    parts.push(`ctx ${contextStyle(style, ctx)(formatPercent(ctx))}${size !== null && size > 0 ? ` of ${formatCompactTokens(size)}` : ''}`);
  }

  const cache = cacheColdText(view.cacheExpiresAt ?? null, view.now);
  if (cache !== null) parts.push(cache === 'cache cold' ? style.yellow(cache) : style.dim(cache));

  const burn = view.tracker?.burnRate ?? null;
  if (burn !== null && burn > 0) parts.push(`${formatCompactTokens(burn)} tok/min`);

  if (parts.length === 0) return '';
  const mark = quotaPercent === null ? style.cyan('◆') : quotaStyle(style, quotaPercent)('◆');
  return `${mark} ${parts.join(style.dim(' · '))}`;
}

export interface PreviousResult {
  /** Their stdout without trailing newlines (on timeout, what it printed so far); null when none. */
  output: string | null;
  /** Why there is no (complete) output, for the error log. */
  problem: string | null;
  /** It finished by itself: `output` is all it had to say (worth remembering for next time). */
  complete?: boolean;
}

/**
 * Run the user's previous status-line command with the same payload on stdin, through the shell
 * as Claude Code would (`sh -c`, `cmd /c` on Windows). Never rejects. On timeout the whole process
 * group is killed and our ends of its pipes are closed, so a grandchild still holding them (the
 * `sleep` in `sh -c "sleep 5"`) can neither delay our exit nor write into our output.
 */
export function runPreviousStatusLine(command: string, input: Buffer, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<PreviousResult> {
  return new Promise((resolve) => {
    const windows = process.platform === 'win32';
    let child: ChildProcess;
    try {
      child = windows
        ? childProcess().spawn(process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `"${command}"`], { env, stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true, windowsVerbatimArguments: true })
        : childProcess().spawn('/bin/sh', ['-c', command], { env, stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    } catch (error) {
      resolve({ output: null, problem: `could not start the previous status line: ${errorMessage(error)}` });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const collected = (): string => Buffer.concat(chunks).toString('utf8').slice(0, PREVIOUS_OUTPUT_LIMIT).replace(/[\r\n]+$/, '');
    const settle = (result: PreviousResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      try {
        if (!windows && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
      child.stdout?.destroy();
      child.stdin?.destroy();
      child.unref();
      // A slow status line still shows what it printed so far (its last output when nothing yet).
      const sofar = collected();
      settle({ output: sofar !== '' ? sofar : null, problem: `previous status line did not finish within ${timeoutMs} ms: ${command.slice(0, 120)}` });
    }, timeoutMs);
    child.on('error', (error) => settle({ output: null, problem: `previous status line failed: ${errorMessage(error)}` }));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (size >= PREVIOUS_OUTPUT_LIMIT) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    child.on('close', () => {
      settle({ output: collected(), problem: null, complete: true });
    });
    // A command that never reads its stdin (`echo THEIRS`) closes the pipe under us: EPIPE is expected.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

function parsePayloadText(text: string, now: number): { payload: StatusLinePayload; problem: string | null } {
  if (text.trim() === '') return { payload: parseStatusLinePayload(null, now), problem: 'empty stdin: no status-line payload' };
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch {
    return { payload: parseStatusLinePayload(null, now), problem: `stdin is not valid JSON (${Buffer.byteLength(text)} bytes)` };
  }
  return { payload: parseStatusLinePayload(raw, now), problem: null };
}

/** Run `cco statusline ARGS` with the payload on `stdin`. Always resolves to 0. */
export async function runStatusLine(args: string[], io: Io, stdin: NodeJS.ReadableStream): Promise<number> {
  const { configDir, help, unknown } = parseConfigDirArgs(args);
  if (help) {
    io.stdout(`${STATUSLINE_USAGE}\n`);
    return 0;
  }
  const noColor = unknown.includes('--no-color');
  const strayArgs = unknown.filter((arg) => arg !== '--no-color');
  const problems: string[] = [];
  let failed = false;
  let root: string | null = null;
  try {
    root = resolveStateRoot(configDir, io.env);
  } catch (error) {
    problems.push(errorMessage(error, 300));
  }
  if (strayArgs.length > 0) problems.push(`ignored unknown argument(s): ${strayArgs.join(' ').slice(0, 200)}`);

  let ours = '';
  let theirs: Promise<PreviousResult> = Promise.resolve({ output: null, problem: null });
  try {
    const input = await readStdin(stdin, { maxBytes: STATUSLINE_STDIN_LIMIT, timeoutMs: STATUSLINE_STDIN_TIMEOUT_MS });
    const now = Date.now();
    // Start theirs first: it runs while we do our part.
    const previous = root !== null ? readPreviousStatusLine(root) : null;
    if (previous !== null) theirs = runPreviousStatusLine(previous.command, input.data, PREVIOUS_STATUSLINE_TIMEOUT_MS, io.env);

    const text = input.data.toString('utf8');
    const { payload, problem } = input.truncated
      ? { payload: parseStatusLinePayload(null, now), problem: `payload of ${input.bytes} bytes is over the ${STATUSLINE_STDIN_LIMIT}-byte limit` }
      : parsePayloadText(text, now);
    if (problem !== null) {
      problems.push(problem);
      failed = true;
    }
    for (const rejected of payload.rejected) problems.push(`implausible figure left out: ${rejected}`);

    let server: FreshServerQuota | null = payload.rateLimits !== null ? { ...payload.rateLimits, observedAt: new Date(now).toISOString() } : null;
    let sevenDaySeen: SevenDaySeen[] = [];
    let tracker: TrackerFigures | null = null;
    if (root !== null) {
      if (payload.sessionId !== null || payload.rateLimits !== null || payload.rejected.length > 0) {
        try {
          const { value, warning } = recordStatusLinePayload(root, payload, now, { timeoutMs: STATE_LOCK_TIMEOUT_MS });
          if (warning !== null) problems.push(warning);
          server = freshServerQuota(value, now) ?? server;
          sevenDaySeen = value.sevenDaySeen ?? [];
        } catch (error) {
          problems.push(`could not store the payload: ${errorMessage(error, 300)}`);
        }
      } else {
        // Nothing to store (no session, no rate limits): still show the last server figures.
        try {
          const state = readStatusLineState(root).value;
          server = freshServerQuota(state, now);
          sevenDaySeen = state?.sevenDaySeen ?? [];
        } catch (error) {
          problems.push(errorMessage(error, 300));
        }
      }
      tracker = readTrackerFigures(root);
    }
    // Runs after each response and on Claude Code's refresh timer: the countdown is read from the
    // transcript's tail (a few KB), not from a Snapshot the status line cannot afford to build.
    const cacheExpires = cacheExpiresAt(payload.transcriptPath !== null ? lastMainResponseAt(payload.transcriptPath) : null);
    const forecast = statusLineForecast(server, sevenDaySeen, tracker, now);
    ours = renderStatusLine({ payload, server, tracker, now, cacheExpiresAt: cacheExpires, forecast, color: !noColor && shouldUseColor({ isTTY: true }, io.env) });
  } catch (error) {
    problems.push(`status line failed: ${errorMessage(error, 300)}`);
    failed = true;
    ours = '';
  }
  if (ours === '') ours = failed ? UNAVAILABLE_LINE : '◆ cco: no quota data yet';

  const previous = root !== null ? rememberPreviousOutput(root, await theirs, problems) : await theirs;
  if (previous.problem !== null) problems.push(previous.problem);
  const lines = previous.output ? [previous.output, ours] : [ours];
  io.stdout(`${lines.join('\n')}\n`);

  if (problems.length > 0) {
    const log = root !== null ? statusLineErrorLogPath(root) : null;
    for (const problem of problems) {
      if (log === null || !appendErrorLog(log, problem)) {
        io.stderr(`cco statusline: ${visibleLine(problem)}\n`);
      }
    }
  }
  return 0;
}
