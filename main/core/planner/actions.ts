/**
 * What the planner's decisions do to the world, shared by `cco` and the app: start a session
 * (mark it in progress, then open the terminal), schedule sessions, export the calendar. Which of
 * these a decision calls for is carry-out.ts; queue changes go through locked updates; the
 * decision itself is pure (planner.ts).
 */
import { randomUuid } from '../crypto.js';
import { sessionIndex, unmetDependencies } from '../../../shared/queue-snapshot.js';
import { statePaths } from '../paths.js';
import { writeCalendar, type CalendarExport } from './calendar.js';
import {
  buildClaudeLaunch,
  checkLaunchable,
  detectTerminal,
  LaunchError,
  manualCommand,
  runLaunchCommand,
  terminalCommand,
  type ClaudeLaunch,
  type LaunchCommand,
  type LaunchSettings,
  type Which,
} from './launcher.js';
import type { PlanDecision, ScheduledSlot } from './planner.js';
import { QueueError, findSession, readQueue, scheduleSession, setStatus, updateQueue, type QueuedSession, type ScheduleReason, type SessionQueue } from './queue.js';

export interface LaunchEnvironment {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  settings: LaunchSettings;
  which: Which;
  /** The starter has no terminal of its own (the app): never run claude attached to it. */
  needsWindow?: boolean;
  /** Runs the command; replaced in tests. Default: spawn it. */
  run?: (command: LaunchCommand) => Promise<number>;
}

export interface StartResult {
  session: QueuedSession;
  launch: ClaudeLaunch;
  /** The terminal process; null (with `print` only) when there is no terminal to open. */
  command: LaunchCommand | null;
  /** Why there is no terminal command (no emulator found, a bad setting); null when there is one. */
  terminalProblem: string | null;
  /** False with `print`: nothing ran and the queue is unchanged. */
  started: boolean;
  /** With a `current` terminal: claude's exit code. */
  exitCode: number | null;
  warning: string | null;
}

export interface PreparedLaunch {
  session: QueuedSession;
  launch: ClaudeLaunch;
  command: LaunchCommand | null;
  terminalProblem: string | null;
}

/**
 * The launch a start would make (no side effects): checks the session can start. claude's
 * command is always known; the terminal that would carry it may not be (none installed, a bad
 * setting): then `command` is null and `terminalProblem` says why.
 */
export function prepareLaunch(queue: SessionQueue, idText: string, environment: LaunchEnvironment, sessionId: string = randomUuid()): PreparedLaunch {
  const session = findSession(queue, idText);
  if (session.status === 'in-progress') throw new QueueError(`${session.id} ("${session.name}") is already in progress${session.claudeSessionId ? ` (claude session ${session.claudeSessionId})` : ''}`);
  if (session.status === 'done') throw new QueueError(`${session.id} ("${session.name}") is done; cco queue edit ${session.id} --status ready to run it again`);
  const waiting = unmetDependencies(session, sessionIndex(queue));
  if (waiting.length > 0) throw new QueueError(`${session.id} ("${session.name}") waits for ${waiting.join(', ')}; finish or skip ${waiting.length === 1 ? 'it' : 'them'} first`);
  checkLaunchable(session);
  const launch = buildClaudeLaunch(session, sessionId, environment.settings.claudePath);
  try {
    return { session, launch, command: terminalCommand(detectTerminal(environment), launch), terminalProblem: null };
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    return { session, launch, command: null, terminalProblem: error.message };
  }
}

/** As prepareLaunch, but a start needs its terminal: a LaunchError (with the command to run by hand) when there is none. */
export function prepareStart(queue: SessionQueue, idText: string, environment: LaunchEnvironment, sessionId: string = randomUuid()): { session: QueuedSession; launch: ClaudeLaunch; command: LaunchCommand } {
  const prepared = prepareLaunch(queue, idText, environment, sessionId);
  if (prepared.command === null) throw new LaunchError(prepared.terminalProblem ?? 'no terminal to start the session in', manualCommand(prepared.launch));
  return { session: prepared.session, launch: prepared.launch, command: prepared.command };
}

/**
 * Start a session: mark it in progress with its claude session id (under the lock, so two
 * starters cannot both take it), then open the terminal. If the terminal cannot be started the
 * entry goes back to what it was.
 */
export async function startSession(root: string, idText: string, now: number, environment: LaunchEnvironment, print = false): Promise<StartResult> {
  const read = readQueue(root);
  // Printing needs no terminal: the command is shown whether or not one could be opened.
  if (print) return { ...prepareLaunch(read.queue, idText, environment), started: false, exitCode: null, warning: read.warning };
  const prepared = prepareStart(read.queue, idText, environment);

  const before = prepared.session;
  const marked = updateQueue(root, now, (queue) => {
    const session = findSession(queue, before.id);
    if (session.status === 'in-progress' || session.status === 'done') throw new QueueError(`${session.id} ("${session.name}") was just marked ${session.status} by another cco`);
    setStatus(session, 'in-progress', now);
    session.claudeSessionId = prepared.launch.sessionId;
    return structuredClone(session);
  });
  let exitCode: number;
  try {
    exitCode = await (environment.run ?? runLaunchCommand)(prepared.command);
  } catch (error) {
    updateQueue(root, now, (queue) => {
      const session = queue.sessions.find((candidate) => candidate.id === before.id);
      if (!session || session.claudeSessionId !== prepared.launch.sessionId) return;
      Object.assign(session, { status: before.status, startedAt: before.startedAt, finishedAt: before.finishedAt, claudeSessionId: before.claudeSessionId, scheduledTime: before.scheduledTime, scheduledReason: before.scheduledReason, scheduledReset: before.scheduledReset });
      session.revision += 1;
    });
    // The terminal did not start: the person can still start claude by hand.
    if (error instanceof LaunchError && error.manual === null) throw new LaunchError(error.message, manualCommand(prepared.launch));
    throw error;
  }
  return { session: marked.result, launch: prepared.launch, command: prepared.command, terminalProblem: null, started: true, exitCode: prepared.command.attached ? exitCode : null, warning: read.warning ?? marked.warning };
}

/** Give sessions their scheduled times; `reset`: the reset they were taken from (their times follow it). */
export function applySlots(root: string, slots: readonly ScheduledSlot[], reason: ScheduleReason, now: number, reset: string | null = null): { sessions: QueuedSession[]; warning: string | null } {
  const { result, warning } = updateQueue(root, now, (queue) =>
    slots.map((slot) => {
      const session = findSession(queue, slot.id);
      scheduleSession(session, Date.parse(slot.at), reason, now, reset);
      return structuredClone(session);
    }),
  );
  return { sessions: result, warning };
}

export function scheduleReasonOf(decision: PlanDecision): ScheduleReason {
  if (decision.automatic === 'critical') return 'auto-critical';
  return decision.quota.weekly?.exhausted ? 'weekly-reset' : 'quota-reset';
}

/** The reset a schedule decision's times were taken from: the weekly one, else the 5-hour one. */
export function scheduleResetOf(decision: PlanDecision): string | null {
  return scheduleReasonOf(decision) === 'weekly-reset' ? (decision.quota.weekly?.resetsAt ?? null) : decision.quota.resetTime;
}

/** Write the calendar files and remember which sessions are now on the calendar. */
export function exportCalendar(root: string, now: number): { exported: CalendarExport; queue: SessionQueue; warning: string | null } {
  const { queue, warning } = readQueue(root);
  const exported = writeCalendar(queue, statePaths(root).calendarDir);
  const pending = new Set(exported.exportedIds.filter((id) => queue.sessions.some((session) => session.id === id && !session.calendarExported)));
  if (pending.size > 0) {
    // Only the flag: no revision bump, so the next export of an unchanged session is identical.
    updateQueue(root, now, (current) => {
      for (const session of current.sessions) if (pending.has(session.id)) session.calendarExported = true;
    });
  }
  return { exported, queue, warning };
}
