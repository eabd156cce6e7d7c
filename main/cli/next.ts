/**
 * `cco next`: the spec's `/start-next-session`. Interactive in a terminal (hours prompt, status,
 * confirm, smaller options, schedule, calendar offer); `cco next --hours N [--yes] [--json]` for
 * the slash command and the app: the planner's decision (`start`, `smaller`, `schedule`, or
 * `none`) with the session(s), the quota figures and the reason; `--yes` carries it out.
 * At CRITICAL (setting `autoScheduleAtCritical`, on by default) the ready sessions are scheduled
 * for after the reset without asking, and the output says so. What-if runs act on nothing:
 * `--json` without `--yes` decides and reports, and `--now` never starts or schedules.
 */
import * as readline from 'node:readline';
import { parseCliArgs } from './args.js';
import { formatCountdown, formatLocalDateTime, formatTokens, hoursText } from '../../shared/format.js';
import { queueSnapshot, type QueuedSession, type QueueSnapshot } from '../../shared/queue-snapshot.js';
import { visible, visibleLine } from '../../shared/sanitize.js';
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

export interface Stdin extends NodeJS.ReadableStream {
  isTTY?: boolean;
}


/**
 * Reads answers line by line; lines typed ahead (or piped) are kept until asked for. One Prompter
 * serves a whole interactive run and is closed by its owner once the run has finished: closing
 * it ends its line reader, so no step may still be waiting on it.
 */
class Prompter {
  private readonly rl: readline.Interface;
  private readonly lines: AsyncIterator<string>;
  private closed = false;
  /** Piped answers are not echoed by a terminal: echo them, so the transcript reads like a session. */
  private readonly echo: boolean;

  constructor(
    private readonly io: Io,
    stdin: Stdin,
  ) {
    this.rl = readline.createInterface({ input: stdin, terminal: false });
    this.lines = this.rl[Symbol.asyncIterator]();
    this.echo = stdin.isTTY !== true;
  }

  /** The answer, trimmed; null at end of input. */
  async ask(question: string): Promise<string | null> {
    this.io.stdout(question);
    if (this.closed) return null;
    const next = await this.lines.next();
    if (next.done) {
      this.closed = true;
      this.io.stdout('\n');
      return null;
    }
    if (this.echo) this.io.stdout(`${next.value}\n`);
    return next.value.trim();
  }

  async yes(question: string): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = (await this.ask(question))?.toLowerCase();
      if (answer === null || answer === undefined) return false;
      if (['y', 'yes'].includes(answer)) return true;
      if (['n', 'no', ''].includes(answer)) return false;
      this.io.stdout('Please answer y or n.\n');
    }
    return false;
  }

  /** Releases stdin (a terminal's stdin would otherwise keep the process alive). */
  close(): void {
    this.closed = true;
    this.rl.close();
  }
}

export function quotaLines(quota: QuotaFigures, generatedAt: string): string[] {
  const available = quota.limit > 0 ? Math.round((quota.remaining / quota.limit) * 100) : 0;
  const lines = [`   Token Quota: ${formatTokens(quota.remaining)} / ${formatTokens(quota.limit)} (${available}% available)`];
  if (quota.resetTime !== null) lines.push(`   Resets in: ${formatCountdown(quota.resetTime, generatedAt)} (${formatLocalDateTime(quota.resetTime)})`);
  else lines.push('   Resets in: no window running (a new one starts with your first message)');
  if (quota.weekly) lines.push(`   Weekly: ${Math.round(quota.weekly.usedPercent)}% used${quota.weekly.exhausted ? ' (limit reached)' : ''}`);
  return lines;
}

export function statusHeader(quota: QuotaFigures, queue: QueueSnapshot, generatedAt: string): string {
  const s = queue.summary;
  const lines = ['🎯 Smart Session Starter', '', '📊 Current Status:', ...quotaLines(quota, generatedAt), '', `📋 Session Queue: ${s.done}/${s.total} complete`, `   Ready: ${s.ready}`, `   Scheduled: ${s.scheduled}`];
  if (s.inProgress > 0) lines.push(`   In progress: ${s.inProgress}`);
  if (s.blocked > 0) lines.push(`   Waiting for others: ${s.blocked}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A queued session in words. Names, projects, agents and objectives are whatever was queued (a
 * slash command, an imported plan): made safe here, as the decision's reason (which quotes a name)
 * is wherever it is printed.
 */
export function sessionBlock(session: QueuedSession): string {
  const lines = [`📋 Session: ${visibleLine(session.name)} (${session.id})`, `⏱️  Duration: ${hoursText(session.estimatedHours)}`, `📁 Project: ${visibleLine(session.project)}`];
  if (session.agent) lines.push(`🤖 Agent: ${visibleLine(session.agent)}`);
  if (session.objectives.length > 0) {
    lines.push('🎯 Objectives:');
    for (const objective of session.objectives) lines.push(`   • ${visible(objective).replace(/\n/g, '\n     ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function needsHave(decision: PlanDecision): string {
  const session = decision.session;
  return session ? `(needs ${formatTokens(session.estimatedTokens)}, have ${formatTokens(decision.quota.remaining)})` : '';
}

function optionLines(decision: PlanDecision): string[] {
  return decision.options.map(({ session }, index) => `   ${index + 1}. ${visibleLine(session.name)} (${hoursText(session.estimatedHours)}, ${formatTokens(session.estimatedTokens)} tokens) [${session.id}]`);
}

/** The decision in words, for the non-interactive form (the slash command shows this). */
export function renderDecision(decision: PlanDecision, hoursArg: string): string {
  const lines: string[] = [];
  const session = decision.session;
  const yes = `cco next${hoursArg} --yes`;
  const reason = visibleLine(decision.reason);
  switch (decision.decision) {
    case 'start':
      if (!session) break;
      lines.push(`✅ Starting: ${visibleLine(session.name)}`, `   (${formatTokens(session.estimatedTokens)} tokens, ${formatTokens(decision.quota.remaining)} available)`, '', sessionBlock(session).trimEnd(), '', `→ ${yes} starts it in a new terminal.`);
      break;
    case 'smaller':
      lines.push(`⚠️  ${reason}`, '', 'Found smaller sessions:', ...optionLines(decision), '', `→ ${yes} starts the first; cco queue start ID starts another.`);
      break;
    case 'schedule':
      if (!session || decision.scheduledFor === null) break;
      if (decision.automatic === 'critical') {
        lines.push(`🚨 ${reason}`);
        for (const slot of decision.slots) lines.push(`   ⏰ ${slot.id} at ${formatLocalDateTime(slot.at)}`);
        lines.push('', '💡 Create calendar events: cco calendar (or /create-calendar-events)');
      } else {
        lines.push(`⏰ Scheduling for ${formatLocalDateTime(decision.scheduledFor)} when quota resets`, `   ${needsHave(decision)}`, `   ${reason}`, '', `→ ${yes} schedules "${visibleLine(session.name)}"; then cco calendar creates the calendar event.`);
      }
      break;
    case 'none':
      lines.push(`ℹ️  ${reason}`);
      break;
  }
  return `${lines.join('\n')}\n`;
}

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
