/**
 * What the popover's buttons, the tray menu and the notification buttons do, implemented with the
 * real core: the Snapshot from the Engine, the compaction brief and the handoff from
 * main/core/context, the planner's decision, the queue, the launcher and the calendar from
 * main/core/planner, the settings as the Engine holds them (it reloads the file when it changes;
 * setSetting writes it and has the Engine reload). No Electron here: the clipboard and
 * "open with the system's app" are parameters, so the same actions run under the Playwright test
 * (a real engine on fixture data) and in the app.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import type { InvokeName, InvokeRequest, InvokeResponse, NextDecisionView } from '../../shared/ipc.js';
import { readySessions, type QueuedSession } from '../../shared/queue-snapshot.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { compactionBriefText } from '../core/context/brief-text.js';
import { analyzeSession, chooseSession, contextSettings, handoffsDir, writeHandoffForSession } from '../core/context/index.js';
import { statePaths } from '../core/paths.js';
import { applySlots, exportCalendar, type LaunchEnvironment } from '../core/planner/actions.js';
import { AUTO_START_DAY_MS } from '../core/planner/auto-start.js';
import { pauseAutoStart } from '../core/planner/auto-start-follow.js';
import { carryOut, startQueued, type CarryOutEnv, type CarryOutResult } from '../core/planner/carry-out.js';
import { whichOnPath } from '../core/planner/launcher.js';
import { plannerSettings } from '../core/planner/planner-settings.js';
import { planNext, quotaFromSnapshot, type PlanDecision } from '../core/planner/planner.js';
import { readQueue, type SessionQueue } from '../core/planner/queue.js';
import type { AllSettings } from '../core/settings-schema.js';
import { writeSetting } from './app-settings.js';
import { snapshotContext } from './snapshot-parts.js';

type Response<K extends InvokeName> = InvokeResponse<K>;

/**
 * One method per IPC invoke channel (shared/ipc.ts), typed by the contract: the request already
 * validated by ipc-handlers.ts (none for a channel without a payload). A new channel in
 * shared/ipc.ts does not compile until it has its method here. Every method rejects with an Error
 * whose message a user can act on.
 */
export type CoreActions = {
  [K in InvokeName]: [InvokeRequest<K>] extends [never] ? () => Promise<Response<K>> : (request: InvokeRequest<K>) => Promise<Response<K>>;
};

/** The part of the Engine the actions use (an Engine loading every key, `loadAllSettings`, satisfies it). */
export interface SnapshotSource {
  readonly snapshot: Snapshot | null;
  /** The settings the Engine holds: every key, the app's too. */
  readonly settings: AllSettings;
  refresh(): Snapshot;
  /** Reload the settings file now (after setSetting wrote it). */
  reloadSettings(): Snapshot;
}

export interface CoreActionsOptions {
  /** The config roots; the first holds the optimizer's files (handoffs/, calendar/, the queue, the settings). */
  roots: readonly string[];
  engine: SnapshotSource;
  clipboard: { writeText(text: string): void };
  /** Opens a file with the system's app (Electron's shell.openPath: resolves '' or an error message). */
  openPath: (file: string) => Promise<string | void>;
  /** The clock (default Date.now). */
  now?: () => number;
  /** Overrides for starting sessions (tests: `run` instead of spawning a terminal). */
  launch?: Partial<Omit<LaunchEnvironment, 'settings'>>;
}

/**
 * Where the app starts a session (Start, and the auto-start at the reset): this process's platform
 * and PATH, the launch settings as the Engine holds them, and always a window the person sees.
 */
export function appLaunchEnvironment(settings: AllSettings, overrides?: Partial<Omit<LaunchEnvironment, 'settings'>>): LaunchEnvironment {
  const platform = overrides?.platform ?? process.platform;
  const env = overrides?.env ?? process.env;
  return {
    platform,
    env,
    settings: plannerSettings(settings),
    which: overrides?.which ?? whichOnPath(env, platform),
    // The app has no terminal of its own: a session always gets a window the user sees.
    needsWindow: true,
    ...(overrides?.run ? { run: overrides.run } : {}),
  };
}

/** The core actions plus the ones the tray and notifications need that the popover does not. */
export interface MainActions extends CoreActions {
  /** The next ready session scheduled for the quota reset. */
  scheduleAtReset(): Promise<NextDecisionView>;
  /** "Stop" on an auto-start notification (and in the tray): no auto-start for AUTO_START_DAY_MS; resolves with its end. */
  pauseAutoStart(): Promise<{ until: number }>;
}

/** Everything createCoreActions makes (the auto-schedule at CRITICAL runs on the Engine side: core/planner/auto-schedule.ts). */
export type AppCoreActions = MainActions;

function decisionView(decision: PlanDecision, byId: ReadonlyMap<string, QueuedSession>): NextDecisionView {
  let sessions: QueuedSession[] = [];
  if (decision.decision === 'smaller') sessions = decision.options.map((option) => option.session);
  else if (decision.decision === 'schedule' && decision.slots.length > 0) {
    sessions = decision.slots.map((slot) => byId.get(slot.id)).filter((session): session is QueuedSession => session !== undefined);
  } else if (decision.session) sessions = [decision.session];
  return {
    decision: decision.decision === 'none' ? 'nothing' : decision.decision,
    reason: decision.reason,
    sessions: sessions.map((session) => ({ id: session.id, name: session.name, estimatedTokens: session.estimatedTokens, estimatedHours: session.estimatedHours })),
    scheduledFor: decision.scheduledFor,
  };
}

function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function realpathOrNull(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

export function createCoreActions(options: CoreActionsOptions): AppCoreActions {
  const root = options.roots[0];
  if (root === undefined) throw new Error('createCoreActions needs at least one config root');
  const { engine } = options;
  const clock = options.now ?? Date.now;

  const snapshot = (): Snapshot => engine.snapshot ?? engine.refresh();

  const launchEnvironment = (): LaunchEnvironment => appLaunchEnvironment(engine.settings, options.launch);

  /** The session an action is about: the one named, else the current live one, else the latest transcript. */
  const sessionContext = (sessionId: string | undefined): ContextSnapshot => {
    const current = snapshot();
    const carried = snapshotContext(current, sessionId);
    if (carried) return carried;
    const settings = contextSettings(engine.settings);
    const live = sessionId === undefined ? current.session : null;
    if (live?.transcriptPath && fs.existsSync(live.transcriptPath)) return analyzeSession(live.transcriptPath, { settings }).context;
    const wanted = sessionId ?? live?.sessionId;
    const choice = chooseSession(options.roots, wanted === undefined ? {} : { sessionId: wanted });
    return analyzeSession(choice.file, { settings }).context;
  };

  const transcriptOf = (sessionId: string | undefined): { sessionId: string; file: string } => {
    const live = sessionId === undefined ? snapshot().session : null;
    if (live?.transcriptPath && fs.existsSync(live.transcriptPath)) return { sessionId: live.sessionId, file: live.transcriptPath };
    const wanted = sessionId ?? live?.sessionId;
    const choice = chooseSession(options.roots, wanted === undefined ? {} : { sessionId: wanted });
    return { sessionId: choice.sessionId, file: choice.file };
  };

  const decide = (hours: number | null): { decision: PlanDecision; queue: SessionQueue; byId: Map<string, QueuedSession> } => {
    const { queue } = readQueue(root);
    const decision = planNext({ queue, now: clock(), hours, quota: quotaFromSnapshot(snapshot()), autoScheduleAtCritical: engine.settings.autoScheduleAtCritical });
    return { decision, queue, byId: new Map(queue.sessions.map((session) => [session.id, session])) };
  };

  const carryEnv = (): CarryOutEnv => ({ root, now: clock(), launch: launchEnvironment });

  /** A start carried out (core/planner/carry-out.ts) in the app's words. */
  const startMessage = (result: CarryOutResult): Response<'startQueued'> => {
    if (result.start?.started) {
      const { session, command, launch } = result.start;
      return { started: true, message: `Started ${session.id} "${session.name}" in ${command?.terminal ?? 'a terminal'} (${launch.cwd}).` };
    }
    if (result.manual !== null) {
      // No window could be opened: hand the person the command, on the clipboard and in the message.
      options.clipboard.writeText(result.manual);
      return { started: false, message: `Could not open a terminal window: ${result.problem ?? 'no terminal'}. The command to start it by hand is on the clipboard: ${result.manual}` };
    }
    return { started: false, message: result.problem ?? 'not started' };
  };

  const start = async (id: string): Promise<Response<'startQueued'>> => {
    const result = await startQueued(id, false, carryEnv());
    if (result.action === 'started') engine.refresh();
    return startMessage(result);
  };

  return {
    async getSnapshot() {
      return snapshot();
    },

    async copyCompactCommand(request) {
      const context = sessionContext(request.sessionId);
      const command = context.compaction.command;
      options.clipboard.writeText(command);
      return { command, brief: compactionBriefText(context) };
    },

    async writeHandoff(request) {
      const { sessionId, file } = transcriptOf(request.sessionId);
      const current = snapshot();
      const window = current.quota.currentWindow;
      const written = writeHandoffForSession(root, sessionId, file, clock(), {
        from: 'start',
        settings: contextSettings(engine.settings),
        quota: { percentUsed: current.quota.percentUsed, tokensUsed: window?.tokensUsed ?? 0, limit: current.plan.limit, resetTime: window?.resetTime ?? null },
      });
      return { path: written };
    },

    async exportCalendar() {
      const { exported } = exportCalendar(root, clock());
      engine.refresh();
      return { dir: exported.dir, files: [exported.allFile, ...exported.files.map((file) => file.file)], events: exported.files.length };
    },

    async planNext(request) {
      const { decision, byId } = decide(request.hours);
      return decisionView(decision, byId);
    },

    async carryOutNext(request) {
      const { decision, queue, byId } = decide(request.hours);
      const view = decisionView(decision, byId);
      const result = await carryOut(decision, { mode: 'act', queue }, carryEnv());
      if (result.action === 'none') return view;
      engine.refresh();
      if (result.action === 'scheduled' || result.action === 'auto-scheduled') return view;
      const started = startMessage(result);
      if (!started.started) throw new Error(started.message);
      return { ...view, reason: `${view.reason} ${started.message}` };
    },

    async startQueued(request) {
      return start(request.id);
    },

    async scheduleAtReset() {
      const { decision, queue, byId } = decide(null);
      if (decision.decision === 'schedule' && decision.slots.length > 0) {
        await carryOut(decision, { mode: 'act', queue }, carryEnv());
        engine.refresh();
        return decisionView(decision, byId);
      }
      const next = readySessions(readQueue(root).queue, clock())[0];
      const resetTime = decision.quota.resetTime;
      if (!next) return decisionView(decision, byId);
      if (resetTime === null || Date.parse(resetTime) <= clock()) {
        return { ...decisionView(decision, byId), decision: 'nothing', reason: `No 5-hour window is running: "${next.name}" can start now (Start next session).` };
      }
      const slot = { id: next.id, at: new Date(Date.parse(resetTime)).toISOString() };
      applySlots(root, [slot], 'quota-reset', clock(), resetTime);
      engine.refresh();
      return {
        decision: 'schedule',
        reason: `"${next.name}" is scheduled for the quota reset.`,
        sessions: [{ id: next.id, name: next.name, estimatedTokens: next.estimatedTokens, estimatedHours: next.estimatedHours }],
        scheduledFor: slot.at,
      };
    },

    async pauseAutoStart() {
      const now = clock();
      const until = now + AUTO_START_DAY_MS;
      pauseAutoStart(root, now, until);
      return { until };
    },

    async openPath(request) {
      const allowed = [handoffsDir(root), statePaths(root).calendarDir];
      const target = realpathOrNull(request.path);
      if (target === null) throw new Error(`cannot open ${request.path}: no such file`);
      const inside = allowed.some((dir) => {
        const real = realpathOrNull(dir);
        return real !== null && isWithin(target, real);
      });
      if (!inside) throw new Error(`cannot open ${request.path}: only files the optimizer made (in ${allowed.join(' or ')}) can be opened`);
      const failure = await options.openPath(target);
      if (typeof failure === 'string' && failure !== '') throw new Error(`could not open ${target}: ${failure}`);
      return { opened: true };
    },

    async getSettings() {
      return { ...engine.settings };
    },

    async setSetting(request) {
      writeSetting(root, request.key, request.value);
      // The Engine reloads (and tells the app through its `settings` event) without waiting for the watcher.
      engine.reloadSettings();
      return { ...engine.settings };
    },
  };
}
