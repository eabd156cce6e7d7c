/**
 * Carrying the auto-start at the reset out on the Engine side (the tray app and `cco status
 * --watch`): each Snapshot, and each wake, is a check. One process at a time runs it (the owner
 * lock, `cco-auto-start.owner.lock`, taken over when its pid is gone); the decision is made again
 * inside the record's lock and the slot claimed there before the terminal opens, so even two
 * processes deciding together start a slot once. The start is Start's own (carry-out.ts
 * startQueued: a visible terminal, claude in the project with its objectives, a pre-assigned
 * session id). What happened comes back as a report with its texts; the faces show them.
 */
import { visibleLine } from '../../../shared/sanitize.js';
import type { Snapshot } from '../../../shared/snapshot.js';
import { statePaths } from '../paths.js';
import type { Settings } from '../settings-schema.js';
import { tryHoldLockSync, type HeldLock } from '../store.js';
import type { LaunchEnvironment } from './actions.js';
import { decideAutoStart, passedText, recordEntries, startedText, type AutoStartDecision, type AutoStartRecord, type AutoStartSlot, type AutoStartText, type PassedSlot } from './auto-start.js';
import { readAutoStartRecord, updateAutoStartRecord } from './auto-start-record.js';
import { startQueued, type CarryOutResult } from './carry-out.js';
import { readQueue, type SessionQueue } from './queue.js';

/** The part of the Engine this follows (the Engine satisfies it). */
export interface AutoStartFeed {
  readonly snapshot: Snapshot | null;
  on(event: 'snapshot', listener: (snapshot: Snapshot) => void): unknown;
  off(event: 'snapshot', listener: (snapshot: Snapshot) => void): unknown;
  refresh(): Snapshot;
}

export interface AutoStartReport {
  /** The slot started (or whose start failed: `result.action` is `failed`). */
  started: { slot: AutoStartSlot & { late: boolean }; result: CarryOutResult } | null;
  passed: PassedSlot[];
  /** What to tell the person: the start (or its failure), then the slots passed over. */
  texts: AutoStartText[];
  /** A corrupt record or queue moved aside, in one line; null when all was well. */
  warning: string | null;
}

export interface AutoStartOptions {
  /** The config root holding the queue and the record. */
  root: string;
  now: () => number;
  settings: () => Pick<Settings, 'autoStartAtReset' | 'autoStartMaxPerDay'>;
  /** The launch environment (the app's needs a window); its `run` is replaced in tests. */
  launch: () => LaunchEnvironment;
  onReport: (report: AutoStartReport) => void;
  onError: (error: unknown) => void;
}

export interface AutoStartFollower {
  /** Check now (the app calls it on wake); resolves with what was done, null when nothing was. */
  check(): Promise<AutoStartReport | null>;
  /** This process holds the owner lock. */
  owns(): boolean;
  /** Stops following and gives the owner lock back. */
  stop(): void;
}

/** "Stop" on the notification or in the tray: no auto-start until `until` (epoch ms). */
export function pauseAutoStart(root: string, now: number, until: number): void {
  updateAutoStartRecord(root, now, (record) => {
    record.pausedUntil = new Date(until).toISOString();
  });
}

function failedText(slot: AutoStartSlot, result: CarryOutResult): AutoStartText {
  const manual = result.manual ? ` Run it by hand: ${result.manual}` : '';
  // The problem and the command carry the queue's text (names, paths, objectives): made safe.
  return { title: 'Automatic start failed', body: visibleLine(`${slot.session.id} could not start: ${result.problem ?? 'unknown problem'}.${manual}`) };
}

export function followAutoStart(engine: AutoStartFeed, options: AutoStartOptions): AutoStartFollower {
  const { root } = options;
  let stopped = false;
  let lock: HeldLock | null = null;
  let lastCheck: number | null = null;
  let running: Promise<AutoStartReport | null> = Promise.resolve(null);

  const release = (): void => {
    lock?.release();
    lock = null;
  };

  const decide = (snapshot: Snapshot, now: number, record: AutoStartRecord, queue: SessionQueue): AutoStartDecision =>
    decideAutoStart({ queue, quota: snapshot.quota, record, now, lastCheck, maxPerDay: options.settings().autoStartMaxPerDay });

  const once = async (): Promise<AutoStartReport | null> => {
    if (stopped) return null;
    const now = options.now();
    if (!options.settings().autoStartAtReset) {
      // Off: hold nothing, so the other process can run it if its settings differ (a --plan run).
      release();
      lastCheck = now;
      return null;
    }
    if (!lock?.held()) lock = tryHoldLockSync(statePaths(root).autoStartOwnerLock);
    if (lock === null) {
      // The other process checks meanwhile; a takeover later is not a gap of ours.
      lastCheck = now;
      return null;
    }
    const snapshot = engine.snapshot ?? engine.refresh();
    // Nothing scheduled has come due: no file is read.
    if (!snapshot.queue.due.some((item) => item.status === 'scheduled')) {
      lastCheck = now;
      return null;
    }
    const queueRead = readQueue(root);
    const recordRead = readAutoStartRecord(root);
    const first = decide(snapshot, now, recordRead.record, queueRead.queue);
    if (first.start === null && first.passed.length === 0) {
      lastCheck = now;
      return null;
    }
    // Decided again under the record's lock: a slot another process claimed meanwhile is in it.
    const claimed = updateAutoStartRecord(root, now, (record) => {
      const decision = decide(snapshot, now, record, queueRead.queue);
      record.entries.push(...recordEntries(decision, now));
      return decision;
    });
    lastCheck = now;
    const decision = claimed.result;
    const texts: AutoStartText[] = [];
    let started: AutoStartReport['started'] = null;
    if (decision.start !== null) {
      const slot = decision.start;
      const result = await startQueued(slot.session.id, false, { root, now, launch: options.launch });
      started = { slot, result };
      if (result.action === 'started') {
        texts.push(startedText(slot, result.start?.command?.terminal ?? null));
      } else {
        updateAutoStartRecord(root, now, (record) => {
          const entry = [...record.entries].reverse().find((candidate) => candidate.key === slot.key && candidate.outcome === 'started');
          if (entry) Object.assign(entry, { outcome: 'failed', reason: result.problem });
        });
        texts.push(failedText(slot, result));
      }
      engine.refresh();
    }
    const passed = passedText(decision.passed);
    if (passed) texts.push(passed);
    const warning = [queueRead.warning, recordRead.warning, claimed.warning].filter((line): line is string => line !== null).join('; ') || null;
    return { started, passed: decision.passed, texts, warning };
  };

  // One check at a time in this process: a wake and a Snapshot arriving together run one after the other.
  const check = (): Promise<AutoStartReport | null> => {
    running = running.then(once, once).then((report) => {
      if (report && !stopped) options.onReport(report);
      return report;
    });
    return running.catch((error: unknown) => {
      options.onError(error);
      return null;
    });
  };
  // After the Snapshot's fan-out: a start refreshes the Engine, which emits again.
  const listener = (): void => void setImmediate(() => void check());
  engine.on('snapshot', listener);
  return {
    check,
    owns: () => lock?.held() === true,
    stop: () => {
      stopped = true;
      engine.off('snapshot', listener);
      release();
    },
  };
}
