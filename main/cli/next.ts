/**
 * `cco next`: the spec's `/start-next-session`. Interactive in a terminal (hours prompt, status,
 * confirm, smaller options, schedule, calendar offer); `cco next --hours N [--yes] [--json]` for
 * the slash command and the app: the planner's decision (`start`, `smaller`, `schedule`, or
 * `none`) with the session(s), the quota figures and the reason; `--yes` carries it out.
 * At CRITICAL (setting `autoScheduleAtCritical`, on by default) the ready sessions are scheduled
 * for after the reset without asking, and the output says so. What-if runs act on nothing:
 * `--json` without `--yes` decides and reports, and `--now` never starts or schedules.
 */
import { parseCliArgs } from './args.js';
import { formatLocalDateTime, formatTokens } from '../../shared/format.js';
import { queueSnapshot, type QueuedSession, type QueueSnapshot } from '../../shared/queue-snapshot.js';
import { visibleLine } from '../../shared/sanitize.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { exportCalendar } from '../core/planner/actions.js';
import { carryOut, type CarryMode, type CarryOutEnv, type CarryOutResult } from '../core/planner/carry-out.js';
import { planNext, quotaFromSnapshot, type PlanDecision, type QuotaFigures } from '../core/planner/planner.js';
import { checkHours, parseHours, readQueue, type SessionQueue } from '../core/planner/queue.js';
import { followResetInFile, serverResets } from '../core/planner/reset-follow.js';
import { renderCalendarReport } from './calendar.js';
import { COMMON_OPTIONS, UsageError, resolveContext, type CommandContext } from './command-context.js';
import type { Io } from './io.js';
import { launchEnvironment, launchJson, launchSettingsFor, renderLaunch, startProblem, warn } from './launch.js';
import { Prompter, type Stdin } from './prompter.js';
import { needsHave, optionLines, renderDecision, sessionBlock, statusHeader } from './render/next-panel.js';
import { snapshotForCli } from './status.js';

export const NEXT_USAGE = `usage: cco next [HOURS] [--hours N] [--yes] [--json] [--print] [--interactive] [--preview]
                [--plan NAME] [--limit N] [--now ISO] [--config-dir DIR]
  --hours N       hours you can work now (3, 1.5, 90m); HOURS as a bare argument works too
  --yes           carry the decision out: start the session (smaller: the first that fits)
                  in a new terminal, or schedule it for the quota reset
  --json          the decision as JSON (decision, reason, session, options, quota, queue, launch);
                  it decides and reports, and acts (even at CRITICAL) only with --yes
  --print         with --yes: show the terminal command instead of running it (changes nothing)
  --interactive   ask (hours, confirm, pick, schedule, calendar) even when stdin is not a terminal
  --preview       the decision for each of 1 to 5 hours; starts, schedules and writes nothing
  --now ISO       a what-if: decide as of that instant; changes nothing (not with --yes)
  --plan, --limit, --config-dir: as for cco status (--plan and --limit are for this run only)
Without --hours in a terminal, cco next asks. Sessions come from cco queue.`;

function decisionJson(decision: PlanDecision, queue: QueueSnapshot, outcome: CarryOutResult, launch: Record<string, unknown> | null, warnings: string[]): Record<string, unknown> {
  return {
    decision: decision.decision,
    reason: decision.reason,
    session: decision.session,
    options: decision.options,
    scheduledFor: decision.scheduledFor,
    slots: decision.slots,
    automatic: decision.automatic,
    due: decision.due,
    hours: decision.hours,
    quota: decision.quota,
    queue,
    launch,
    carriedOut: { action: outcome.action, ids: outcome.ids },
    warnings,
  };
}

interface NextState {
  ctx: CommandContext;
  root: string;
  snapshot: Snapshot;
  quota: QuotaFigures;
  queue: SessionQueue;
  autoSchedule: boolean;
}

function decide(state: NextState, hours: number | null): PlanDecision {
  return planNext({ queue: state.queue, now: state.ctx.now, hours, quota: state.quota, autoScheduleAtCritical: state.autoSchedule });
}

/** This process as carry-out.ts's environment: the launch settings are read (and warned about) only when a session starts or is shown. */
function carryEnv(state: NextState, io: Io): CarryOutEnv {
  return { root: state.root, now: state.ctx.now, launch: () => launchEnvironment(io, launchSettingsFor(state.root, io)) };
}

/**
 * carryOut for this command: a start that failed is the person's to fix (one line, exit 2); the
 * start's own warnings go to stderr when they happen, as `cco queue start` does.
 */
async function carry(state: NextState, io: Io, decision: PlanDecision, mode: CarryMode, choice: string | null = null): Promise<CarryOutResult> {
  const result = await carryOut(decision, { mode, queue: state.queue, choice }, carryEnv(state, io));
  if (result.action === 'failed') throw startProblem(result.problem ?? 'the session could not start', result.manual);
  if (result.start) for (const warning of result.warnings) warn(io, warning);
  return result;
}

/** The hours a person can work now (the prompt's [1-5]): at most one 5-hour window. */
export const HOURS_NOW = { min: 1, max: 5 } as const;

/** `3`, `1.5`, `90m` within HOURS_NOW; throws a one-line message naming `name` and the range. */
export function parseHoursNow(text: string, name: string): number {
  const problem = `${name} must be from ${HOURS_NOW.min} to ${HOURS_NOW.max} hours (like 3, 1.5 or 90m); got ${text.trim() === '' ? '""' : text.trim()}`;
  let hours: number;
  try {
    hours = checkHours(parseHours(text.replace(/\s*hours?$/i, '')));
  } catch {
    throw new UsageError(problem);
  }
  if (hours < HOURS_NOW.min || hours > HOURS_NOW.max) throw new UsageError(problem);
  return hours;
}

function hoursOption(positionals: string[], option: string | undefined): number | null {
  if (option !== undefined && positionals.length > 0) throw new UsageError('give the hours once: either --hours N or a bare number');
  const text = option ?? positionals.join(' ');
  if (option === undefined && text.trim() === '') return null;
  return parseHoursNow(text, option !== undefined ? '--hours' : 'the hours');
}

export async function runNext(args: string[], io: Io, stdin: Stdin = process.stdin): Promise<number> {
  const { values, positionals } = parseCliArgs({
    args,
    options: {
      ...COMMON_OPTIONS,
      hours: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      json: { type: 'boolean' },
      print: { type: 'boolean' },
      interactive: { type: 'boolean' },
      preview: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout(`${NEXT_USAGE}\n`);
    return 0;
  }
  if (values.preview) {
    // Read-only (the /start-next-session slash command runs it): kept apart from everything below that acts.
    const { runNextPreview } = await import('./next-preview.js');
    return runNextPreview(values, positionals, io);
  }
  const hours = hoursOption(positionals, values.hours);
  const ctx = resolveContext(values, io.env);
  const root = ctx.roots[0];
  const snapshot = snapshotForCli(ctx);
  const warnings = [...snapshot.diagnostics.warnings];
  // A session waiting for a reset the server moved waits for the new one (kept unless a what-if).
  const read = followResetInFile(root, serverResets(snapshot.quota.server), ctx.now, ctx.writesState);
  if (read.warning) warnings.push(...read.warning.split('\n'));
  const state: NextState = { ctx, root, snapshot, quota: quotaFromSnapshot(snapshot), queue: read.queue, autoSchedule: ctx.settings.autoScheduleAtCritical };

  const interactive = values.interactive === true || (hours === null && stdin.isTTY === true && !values.json && !values.yes);
  // --now is a what-if: it decides for another instant and reports; starting or scheduling for
  // real from an imagined clock would put the real queue out of step.
  const print = values.print === true;
  if (ctx.fixedNow && ((values.yes && !print) || interactive)) {
    throw new UsageError(`--now is a what-if and changes nothing: drop --now to ${values.yes ? 'carry the decision out (--yes)' : 'answer the questions'}, or add --hours N to see the decision`);
  }
  if (interactive) {
    for (const warning of warnings) warn(io, warning);
    const prompt = new Prompter(io, stdin);
    try {
      return await runInteractive(state, io, prompt, print);
    } finally {
      prompt.close();
    }
  }

  const decision = decide(state, hours);
  // What this run may do: --now never acts; --json without --yes only decides and reports; --print
  // changes nothing either (with --yes it shows what --yes would run). Plain cco next decides and
  // reports, and carries out only the automatic schedule at CRITICAL.
  const mode: CarryMode = values.yes ? (print ? 'print' : 'act') : ctx.fixedNow || values.json || print ? 'what-if' : 'report';
  const outcome = await carry(state, io, decision, mode);
  if (!outcome.start) warnings.push(...outcome.warnings);
  const prepared = outcome.start ?? (outcome.preview ? { ...outcome.preview, started: false } : null);
  const launch = prepared ? launchJson(prepared) : null;

  const after = outcome.action === 'none' || outcome.action === 'printed' ? state.queue : readQueue(root).queue;
  const queue = queueSnapshot(after, ctx.now);
  if (values.json) {
    io.stdout(`${JSON.stringify(decisionJson(decision, queue, outcome, launch, warnings), null, 2)}\n`);
    return outcome.start?.exitCode ?? 0;
  }
  for (const warning of warnings) warn(io, warning);
  const hoursArg = hours === null ? '' : ` --hours ${hours}`;
  let text = `${statusHeader(state.quota, queueSnapshot(state.queue, ctx.now), snapshot.generatedAt)}\n${renderDecision(decision, hoursArg)}`;
  if (outcome.start) text += `\n${renderLaunch(outcome.start)}`;
  if (outcome.action === 'scheduled') text += `\n✅ Session scheduled for ${formatLocalDateTime(decision.scheduledFor ?? '')}!\n   Run cco next again after the quota resets; cco calendar creates the calendar event.\n`;
  if (decision.automatic === 'critical' && outcome.action === 'none') text += `\nℹ️  Nothing was scheduled: ${ctx.fixedNow ? '--now is a what-if (cco next without --now schedules them)' : '--print changes nothing'}.\n`;
  if (outcome.action === 'auto-scheduled') text += `\n✅ ${outcome.ids.length} session${outcome.ids.length === 1 ? '' : 's'} scheduled automatically (setting autoScheduleAtCritical).\n`;
  io.stdout(text);
  return outcome.start?.exitCode ?? 0;
}

async function offerCalendar(state: NextState, io: Io, prompt: Prompter): Promise<void> {
  io.stdout('\n💡 Or create calendar events now.\n');
  if (!(await prompt.yes('Create calendar events? (y/n): '))) {
    io.stdout('   Later: cco calendar (or /create-calendar-events)\n');
    return;
  }
  const result = exportCalendar(state.root, state.ctx.now);
  warn(io, result.warning);
  io.stdout(renderCalendarReport(result.exported, result.queue, state.ctx.now));
}

/** Starts `decision`'s session (for smaller: the one the person picked), or with --print shows how. */
async function startInteractive(state: NextState, io: Io, decision: PlanDecision, print: boolean, choice: string | null = null): Promise<number> {
  const result = await carry(state, io, decision, print ? 'print' : 'act', choice);
  if (result.start) io.stdout(`\n${renderLaunch(result.start)}`);
  return result.start?.exitCode ?? 0;
}

async function scheduleInteractive(state: NextState, io: Io, prompt: Prompter, decision: PlanDecision): Promise<number> {
  if (decision.session === null || decision.scheduledFor === null) return 0;
  io.stdout(`\n⏰ Scheduling for ${formatLocalDateTime(decision.scheduledFor)} when quota resets\n   ${needsHave(decision)}\n\n`);
  if (!(await prompt.yes('Schedule this session for later? (y/n): '))) {
    io.stdout('Nothing scheduled.\n');
    return 0;
  }
  // Answered yes: scheduled as asked (as before, --print only ever changes how a start is shown).
  const scheduled = await carry(state, io, decision, 'act');
  for (const warning of scheduled.warnings) warn(io, warning);
  io.stdout('\n✅ Session scheduled!\n   Run this command again after quota resets\n');
  await offerCalendar(state, io, prompt);
  return 0;
}

/** The dialogue; `prompt` belongs to the caller, which closes it only after this has settled. */
async function runInteractive(state: NextState, io: Io, prompt: Prompter, print: boolean): Promise<number> {
  io.stdout(`${statusHeader(state.quota, queueSnapshot(state.queue, state.ctx.now), state.snapshot.generatedAt)}\n`);
  const critical = decide(state, null);
  if (critical.automatic === 'critical') {
    const scheduled = await carry(state, io, critical, 'act');
    for (const warning of scheduled.warnings) warn(io, warning);
    io.stdout(renderDecision(critical, ''));
    await offerCalendar(state, io, prompt);
    return 0;
  }
  if (critical.decision === 'none') {
    io.stdout(renderDecision(critical, ''));
    return 0;
  }
  let hours: number | null = null;
  for (let attempt = 0; attempt < 3 && hours === null; attempt++) {
    const answer = await prompt.ask('How many hours can you work? [1-5]: ');
    if (answer === null) return 0;
    try {
      hours = parseHoursNow(answer, 'the hours');
    } catch (error) {
      io.stdout(`Please answer: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  if (hours === null) return 0;
  const decision = decide(state, hours);
  switch (decision.decision) {
    case 'start': {
      const session = decision.session as QueuedSession;
      io.stdout(`\n✅ Starting: ${visibleLine(session.name)}\n   (${formatTokens(session.estimatedTokens)} tokens, ${formatTokens(decision.quota.remaining)} available)\n\n${sessionBlock(session)}\n`);
      if (!(await prompt.yes('Start this session? (y/n): '))) {
        io.stdout('Not started.\n');
        return 0;
      }
      return await startInteractive(state, io, decision, print);
    }
    case 'smaller': {
      io.stdout(`\n${visibleLine(decision.reason)}\n\nLooking for smaller sessions that fit...\n\nFound smaller sessions:\n${optionLines(decision).join('\n')}\n\n`);
      const count = decision.options.length;
      for (let attempt = 0; attempt < 3; attempt++) {
        const answer = await prompt.ask(`Start which session? (1-${count}, or 0 to cancel): `);
        if (answer === null || answer === '0' || answer === '') break;
        const choice = Number(answer);
        const picked = Number.isInteger(choice) ? decision.options[choice - 1] : undefined;
        if (picked) return await startInteractive(state, io, decision, print, picked.session.id);
        io.stdout(`Please answer a number from 0 to ${count}.\n`);
      }
      // Declined the smaller ones: the first in line can still wait for the reset.
      const primary = decision.session;
      if (primary && primary.estimatedTokens > decision.quota.remaining && decision.quota.resetTime !== null) {
        const at = new Date(Math.max(state.ctx.now, Date.parse(decision.quota.resetTime))).toISOString();
        return await scheduleInteractive(state, io, prompt, { ...decision, decision: 'schedule', scheduledFor: at, slots: [{ id: primary.id, at }] });
      }
      io.stdout('Nothing started.\n');
      return 0;
    }
    case 'schedule':
      io.stdout(`\n${visibleLine(decision.reason)}\n`);
      return await scheduleInteractive(state, io, prompt, decision);
    case 'none':
      io.stdout(`\n${renderDecision(decision, '')}`);
      return 0;
  }
}
