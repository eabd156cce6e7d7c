/**
 * Carrying out the planner's decision: the one place that turns a PlanDecision into changes (a
 * session started in a terminal, sessions given their scheduled times, the spec's auto-schedule at
 * CRITICAL) and says what happened as data. `cco next` and the app are adapters: they decide who
 * is asked and how the result is shown; what a decision does, and what a what-if run may do,
 * is decided here.
 */
import { LaunchError } from './launcher.js';
import { applySlots, prepareLaunch, scheduleReasonOf, scheduleResetOf, startSession, type LaunchEnvironment, type PreparedLaunch, type StartResult } from './actions.js';
import { planNext, type PlanDecision, type QuotaFigures, type ScheduledSlot } from './planner.js';
import { QueueError, readQueue, type QueuedSession, type SessionQueue } from './queue.js';

/**
 * What a run may change:
 * - `act`: carry the decision out (`cco next --yes`, the app's buttons);
 * - `report`: decide and report; only the automatic schedule at CRITICAL is carried out (plain
 *   `cco next`, the Engine side);
 * - `print`: show the terminal command a start would run; change nothing (`--yes --print`);
 * - `what-if`: change nothing (`--now`, `--json` without `--yes`, `--print` without `--yes`).
 */
export type CarryMode = 'act' | 'report' | 'print' | 'what-if';

export interface CarryOutRequest {
  mode: CarryMode;
  /** The queue the decision was made from: a start that is only shown is prepared from it. */
  queue: SessionQueue;
  /** smaller: the option the person picked (a queue id); default the first that fits. */
  choice?: string | null;
}

export interface CarryOutEnv {
  /** The config root holding the queue. */
  root: string;
  now: number;
  /**
   * The launch environment, asked for only when a session starts or is shown (reading it may warn
   * about the launch settings). Its `run` replaces spawning the terminal (tests pass a fake one).
   */
  launch: () => LaunchEnvironment;
}

export type CarriedAction = 'started' | 'scheduled' | 'auto-scheduled' | 'printed' | 'none' | 'failed';

export interface CarryOutResult {
  action: CarriedAction;
  /** The sessions acted on (or, printed/failed, the one that would have started). */
  ids: string[];
  /** scheduled/auto-scheduled: the times given. */
  slots: ScheduledSlot[];
  /** started/printed: the start as made (claude's launch, the terminal command, claude's exit code when attached). */
  start: StartResult | null;
  /** report/what-if: the launch carrying the decision out would make (what `--yes` would run). */
  preview: PreparedLaunch | null;
  /** failed: why the session could not start (the queue refused it, or no terminal could be opened). */
  problem: string | null;
  /** failed: the claude command to run by hand, when the launch was known. */
  manual: string | null;
  /** One line each; names and paths inside are the queue's (untrusted) text. */
  warnings: string[];
}

const NOTHING: CarryOutResult = { action: 'none', ids: [], slots: [], start: null, preview: null, problem: null, manual: null, warnings: [] };

/** The session a start or smaller decision starts: the planner's, or the option the person picked. */
export function sessionToStart(decision: PlanDecision, choice: string | null = null): QueuedSession | null {
  if (decision.decision === 'start') return decision.session;
  if (decision.decision !== 'smaller') return null;
  if (choice === null) return decision.options[0]?.session ?? null;
  return decision.options.find((option) => option.session.id === choice)?.session ?? null;
}

/**
 * Start queued session `id` (mode `act`) or show how it would start (`print`). The queue's and the
 * launcher's refusals come back as `failed` with their one-line reason; anything else throws.
 */
export async function startQueued(id: string, print: boolean, env: CarryOutEnv): Promise<CarryOutResult> {
  try {
    const start = await startSession(env.root, id, env.now, env.launch(), print);
    return { ...NOTHING, action: start.started ? 'started' : 'printed', ids: [start.session.id], start, warnings: start.warning ? start.warning.split('\n') : [] };
  } catch (error) {
    if (error instanceof LaunchError) return { ...NOTHING, action: 'failed', ids: [id], problem: error.message, manual: error.manual };
    if (error instanceof QueueError) return { ...NOTHING, action: 'failed', ids: [id], problem: error.message };
    throw error;
  }
}

function schedule(decision: PlanDecision, env: Pick<CarryOutEnv, 'root' | 'now'>): CarryOutResult {
  const applied = applySlots(env.root, decision.slots, scheduleReasonOf(decision), env.now, scheduleResetOf(decision));
  return {
    ...NOTHING,
    action: decision.automatic === 'critical' ? 'auto-scheduled' : 'scheduled',
    ids: decision.slots.map((slot) => slot.id),
    slots: decision.slots,
    warnings: applied.warning ? applied.warning.split('\n') : [],
  };
}

/** What carrying the start out would run, without running it; a session that cannot start is a warning. */
function preview(session: QueuedSession, request: CarryOutRequest, env: CarryOutEnv): CarryOutResult {
  try {
    return { ...NOTHING, preview: prepareLaunch(request.queue, session.id, env.launch()) };
  } catch (error) {
    return { ...NOTHING, warnings: [`cannot start ${session.id}: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

/** Carry `decision` out as far as `request.mode` allows, and say what happened. */
export async function carryOut(decision: PlanDecision, request: CarryOutRequest, env: CarryOutEnv): Promise<CarryOutResult> {
  const { mode } = request;
  if (decision.automatic === 'critical') {
    // The spec's auto-schedule: carried out without asking, except by a run that changes nothing.
    return (mode === 'act' || mode === 'report') && decision.slots.length > 0 ? schedule(decision, env) : NOTHING;
  }
  if (decision.decision === 'schedule') return mode === 'act' && decision.slots.length > 0 ? schedule(decision, env) : NOTHING;
  const session = sessionToStart(decision, request.choice ?? null);
  if (session === null) return NOTHING;
  if (mode === 'act' || mode === 'print') return startQueued(session.id, mode === 'print', env);
  return preview(session, request, env);
}

/**
 * The spec's "auto-schedule all future sessions" at CRITICAL (setting `autoScheduleAtCritical`):
 * decide from the current queue with no hours given and carry it out. Null when the quota is not
 * CRITICAL, the setting is off, or nothing is ready; so a second run over the same Snapshot (the
 * sessions now wait for the reset) schedules nothing more.
 */
export function autoScheduleAtCritical(quota: QuotaFigures, enabled: boolean, env: Pick<CarryOutEnv, 'root' | 'now'>): { decision: PlanDecision; result: CarryOutResult } | null {
  if (!enabled || quota.level !== 'critical') return null;
  const decision = planNext({ queue: readQueue(env.root).queue, now: env.now, hours: null, quota, autoScheduleAtCritical: true });
  if (decision.automatic !== 'critical' || decision.slots.length === 0) return null;
  // carryOut's CRITICAL branch in 'report' mode: the same schedule, with no terminal involved.
  return { decision, result: schedule(decision, env) };
}
