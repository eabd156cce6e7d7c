import { describe, expect, it } from 'vitest';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import type { ContextLevel } from '../../shared/context-levels.js';
import type { QueueItem, QueueSnapshot } from '../../shared/queue-snapshot.js';
import type { SessionInfo, SessionWarningId } from '../../shared/sessions.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { planNotifications, windowStartOf, type NotificationToggles, type PlannedNotification } from '../../main/app/notification-policy.js';
import { memorySentKeys } from '../../main/app/sent-store.js';
import { trayView } from '../../main/app/tray-policy.js';
import { ATTACK, ATTACK_LINES, TITLE_SHOWN, expectNoRawControls } from '../fixtures/hostile.js';
import { contextWith } from '../fixtures/snapshot-builder.js';
import { snapshotFixture } from '../fixtures/snapshot-fixtures.js';

const BASE = snapshotFixture('active-good');
const WINDOW_START = '2025-01-06T14:30:00.000Z';
const ALL_ON: NotificationToggles = { notifyQuota: true, notifyContext: true, notifySessions: true, notifyReset: true, notifyQueue: true };

interface Shape {
  percent?: number;
  hyperaware?: boolean;
  windowStart?: string | null;
  resetTime?: string;
  generatedAt?: string;
  context?: ContextSnapshot | null;
  sessions?: SessionInfo[];
  queue?: QueueSnapshot;
}

function snap(shape: Shape = {}): Snapshot {
  const window = BASE.quota.currentWindow;
  if (!window) throw new Error('fixture without a window');
  const start = shape.windowStart === undefined ? WINDOW_START : shape.windowStart;
  const snapshot: Snapshot = {
    ...BASE,
    generatedAt: shape.generatedAt ?? BASE.generatedAt,
    quota: {
      ...BASE.quota,
      hyperaware: shape.hyperaware ?? false,
      percentUsed: shape.percent ?? 42.5,
      currentWindow: start === null ? null : { ...window, startTime: start, resetTime: shape.resetTime ?? new Date(Date.parse(start) + 5 * 3_600_000).toISOString() },
    },
    context: shape.context ?? null,
    sessions: shape.sessions ?? [],
    session: shape.sessions?.[0] ?? null,
    queue: shape.queue ?? BASE.queue,
  };
  return snapshot;
}

function context(level: ContextLevel, percent: number, compactedAt: string | null = null, sessionId = 'sess-1', tokensLeft: number | null = 100_000): ContextSnapshot {
  return contextWith({
    sessionId,
    level,
    percent,
    windowSize: 200_000,
    autoCompact: { at: 180_000, tokensLeft, source: 'default' },
    cwd: '/home/dana/api',
    compaction: { command: '/compact keep the objective' },
    lastCompaction: compactedAt ? { at: compactedAt, trigger: 'manual', preTokens: 150_000, postTokens: 20_000 } : null,
  });
}

function session(warningsPassed: SessionWarningId[]): SessionInfo {
  return {
    sessionId: 'live-1',
    cwd: '/home/dana/api',
    agent: null,
    transcriptPath: null,
    detectedBy: 'hook',
    startedAt: '2025-01-06T12:00:00.000Z',
    windowEnd: '2025-01-06T17:00:00.000Z',
    elapsedMinutes: 285,
    remainingMinutes: 15,
    progressPercent: 95,
    lastActivity: BASE.generatedAt,
    status: 'busy',
    tokens: { source: 'transcript', breakdown: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 }, counted: 0, messages: 0 },
    toolCalls: 0,
    cacheExpiresAt: null,
    cacheColdCost: null,
    warningsPassed,
    nextWarning: null,
  };
}

function queueItem(id: string, name: string): QueueItem {
  return { id, name, status: 'scheduled', estimatedTokens: 40_000, estimatedHours: 1.5, project: '/home/dana/api', scheduledTime: '2025-01-06T16:30:00.000Z' };
}

function queue(due: QueueItem[], nextReady: QueueItem | null = null): QueueSnapshot {
  return { summary: { total: 2, done: 0, ready: due.length + (nextReady ? 1 : 0), scheduled: 0, inProgress: 0, skipped: 0, blocked: 0 }, nextReady, ready: nextReady ? [nextReady] : [], due, nextScheduled: null, inProgress: [], entries: [] };
}

/** A queue with one session ready: "Schedule next session" has something to schedule. */
const READY = (): QueueSnapshot => queue([], queueItem('s1', 'Plan'));

/** Feeds Snapshots one after another as the notifier does, returning what each showed. */
function run(snapshots: Snapshot[], options: { platform?: string; settings?: NotificationToggles; snoozedUntil?: number | null } = {}): PlannedNotification[][] {
  const sent = memorySentKeys();
  let previous: Snapshot | null = null;
  return snapshots.map((next) => {
    const plan = planNotifications({ previous, next, settings: options.settings ?? ALL_ON, sent, platform: options.platform ?? 'darwin', snoozedUntil: options.snoozedUntil ?? null });
    sent.add([...plan.show.map((n) => n.key), ...plan.skip]);
    previous = next;
    return plan.show;
  });
}

const keys = (shown: PlannedNotification[]): string[] => shown.map((n) => n.key);

describe('quota thresholds', () => {
  it('fire once each as the window fills (standard: 50/80/90/95), never again for the same window', () => {
    const shown = run([40, 51, 53, 49, 52, 81, 96].map((percent) => snap({ percent, queue: READY() })));
    expect(shown.map(keys)).toEqual([
      [],
      [`quota:${WINDOW_START}:50`],
      [],
      [],
      [], // back above 50 after a dip: already sent for this window
      [`quota:${WINDOW_START}:80`],
      [`quota:${WINDOW_START}:95`], // 90 and 95 crossed at once: only the higher shows
    ]);
    expect(shown[1]?.[0]).toMatchObject({ kind: 'quota', title: 'Halfway mark: 51% of the quota used', urgency: 'low', click: { kind: 'open-popover' } });
    expect(shown[1]?.[0]?.body).toBe('Keep an eye on usage. Resets in 2h 45m.');
    expect(shown[5]?.[0]?.actions.map((a) => a.label)).toEqual(['Schedule next session', 'Snooze']);
    expect(shown[6]?.[0]?.urgency).toBe('critical');
  });

  it('hyperaware: 10/25/50/75/90/95', () => {
    const shown = run([snap({ hyperaware: true, percent: 5 }), snap({ hyperaware: true, percent: 11 }), snap({ hyperaware: true, percent: 26 }), snap({ hyperaware: true, percent: 76 })]);
    expect(shown.map(keys)).toEqual([[], [`quota:${WINDOW_START}:10`], [`quota:${WINDOW_START}:25`], [`quota:${WINDOW_START}:75`]]);
  });

  it('at start-up, only the highest threshold already passed shows (the lower ones are recorded as passed)', () => {
    const sent = memorySentKeys();
    const plan = planNotifications({ previous: null, next: snap({ percent: 85 }), settings: ALL_ON, sent, platform: 'darwin' });
    expect(keys(plan.show)).toEqual([`quota:${WINDOW_START}:80`]);
    expect(plan.skip).toEqual([`quota:${WINDOW_START}:50`]);
  });

  it('keys already sent (a restart mid-window) are not shown again', () => {
    const sent = memorySentKeys([`quota:${WINDOW_START}:80`, `quota:${WINDOW_START}:50`]);
    const plan = planNotifications({ previous: null, next: snap({ percent: 85 }), settings: ALL_ON, sent, platform: 'darwin' });
    expect(plan.show).toEqual([]);
  });

  it('a new window fires its thresholds afresh', () => {
    const next = '2025-01-06T20:00:00.000Z';
    const shown = run([snap({ percent: 55 }), snap({ windowStart: next, percent: 52, generatedAt: '2025-01-06T20:30:00.000Z' })], { settings: { ...ALL_ON, notifyReset: false } });
    expect(shown.map(keys)).toEqual([[`quota:${WINDOW_START}:50`], [`quota:${next}:50`]]);
  });

  it('buttons only on macOS and Windows; Linux gets the same notification without them', () => {
    for (const [platform, labels] of [['darwin', ['Schedule next session', 'Snooze']], ['win32', ['Schedule next session', 'Snooze']], ['linux', []]] as const) {
      const [, shown] = run([snap({ percent: 70, queue: READY() }), snap({ percent: 85, queue: READY() })], { platform });
      expect(shown?.[0]?.actions.map((a) => a.label)).toEqual(labels);
      expect(shown?.[0]?.actions.every((a) => a.command.kind === 'schedule-at-reset' || a.command.kind === 'snooze')).toBe(true);
    }
  });

  it('nothing ready to schedule: Snooze alone (the tray shows Schedule disabled then too)', () => {
    const [, shown] = run([snap({ percent: 70, queue: queue([]) }), snap({ percent: 85, queue: queue([]) })], { platform: 'darwin' });
    expect(shown?.[0]?.actions.map((a) => a.label)).toEqual(['Snooze']);
  });

  it('a setting turned off passes its notifications over for good', () => {
    const shown = run([snap({ percent: 40 }), snap({ percent: 60 })], { settings: { ...ALL_ON, notifyQuota: false } });
    expect(shown).toEqual([[], []]);
  });

  it('while snoozed only critical notifications show', () => {
    const until = Date.parse(BASE.generatedAt) + 60_000;
    const shown = run([snap({ percent: 40 }), snap({ percent: 60 }), snap({ percent: 91 })], { snoozedUntil: until });
    expect(shown.map(keys)).toEqual([[], [], [`quota:${WINDOW_START}:90`]]);
  });

  it('the server-only window is keyed by its reset minus 5 hours', () => {
    const snapshot = snap({ windowStart: null });
    const server: Snapshot = { ...snapshot, quota: { ...snapshot.quota, server: { fiveHour: { usedPercent: 60, resetsAt: '2025-01-06T19:00:00.000Z' }, sevenDay: null, observedAt: snapshot.generatedAt } } };
    expect(windowStartOf(server)).toBe('2025-01-06T14:00:00.000Z');
    expect(windowStartOf(snapshot)).toBeNull();
  });
});

describe('context levels', () => {
  it('WARNING, then DANGER with a Copy /compact command button; a compaction makes them news again', () => {
    const shown = run([
      snap({ context: context('moderate', 60) }),
      snap({ context: context('warning', 70) }),
      snap({ context: context('warning', 75) }),
      snap({ context: context('danger', 85) }),
      snap({ context: context('fresh', 10, '2025-01-06T16:50:00.000Z') }),
      snap({ context: context('warning', 70, '2025-01-06T16:50:00.000Z') }),
    ]);
    expect(shown.map(keys)).toEqual([
      [],
      ['context:sess-1:start:warning'],
      [],
      ['context:sess-1:start:danger'],
      [],
      ['context:sess-1:2025-01-06T16:50:00.000Z:warning'],
    ]);
    expect(shown[1]?.[0]?.actions.map((a) => a.label)).toEqual(['Snooze']);
    expect(shown[3]?.[0]).toMatchObject({ title: '🔴 CONTEXT DANGER (85%)', urgency: 'critical' });
    expect(shown[3]?.[0]?.actions[0]).toEqual({ label: 'Copy /compact command', command: { kind: 'copy-compact', sessionId: 'sess-1' } });
    expect(shown[3]?.[0]?.body).toMatch(/^Session sess-1 in \/home\/dana\/api: Compact now/);
  });

  it('jumping from HEALTHY to CRITICAL shows CRITICAL only, and WARNING/DANGER are passed for good', () => {
    const sent = memorySentKeys();
    const previous = snap({ context: context('healthy', 40) });
    const plan = planNotifications({ previous, next: snap({ context: context('critical', 101) }), settings: ALL_ON, sent, platform: 'linux' });
    expect(keys(plan.show)).toEqual(['context:sess-1:start:critical']);
    expect(plan.skip).toEqual(['context:sess-1:start:warning', 'context:sess-1:start:danger']);
    expect(plan.show[0]?.actions).toEqual([]);
  });

  it('no context part (or no level yet): nothing', () => {
    expect(run([snap(), snap({ context: { ...context('warning', 70), level: null, percent: null } })])).toEqual([[], []]);
  });
});

describe('auto-compaction ahead', () => {
  it('within 10% of the window: once per session and compaction era, with the Save handoff button', () => {
    const era = '2025-01-06T16:50:00.000Z';
    const shown = run([
      snap({ context: context('healthy', 40, null, 'sess-1', 21_000) }),
      snap({ context: context('healthy', 45, null, 'sess-1', 19_000) }),
      snap({ context: context('healthy', 46, null, 'sess-1', 5_000) }),
      snap({ context: context('healthy', 47, null, 'sess-1', -2_000) }),
      snap({ context: context('fresh', 10, era, 'sess-1', 160_000) }),
      snap({ context: context('healthy', 47, era, 'sess-1', 12_000) }),
      snap({ context: context('healthy', 47, era, 'sess-1', null) }),
    ]);
    expect(shown.map(keys)).toEqual([[], ['autocompact:sess-1:start'], [], [], [], [`autocompact:sess-1:${era}`], []]);
    expect(shown[1]?.[0]).toMatchObject({ kind: 'context', title: 'Auto-compact in 19,000 tokens', urgency: 'critical' });
    expect(shown[1]?.[0]?.body).toBe('Session sess-1 in /home/dana/api: Claude Code compacts by itself at 180,000 tokens. Save a handoff first.');
    expect(shown[1]?.[0]?.actions[0]).toEqual({ label: 'Save handoff', command: { kind: 'save-handoff', sessionId: 'sess-1' } });
  });

  it('already past the point: "due now"; off with notifyContext', () => {
    expect(run([snap({ context: context('healthy', 47, null, 'sess-1', 0) })])[0]?.[0]?.title).toBe('Auto-compact due now');
    expect(run([snap({ context: context('healthy', 47, null, 'sess-1', 1_000) })], { settings: { ...ALL_ON, notifyContext: false } })).toEqual([[]]);
  });
});

describe('session-window warnings', () => {
  it('1 h, 30 min, 5 min once each; at start-up only the latest', () => {
    const shown = run([snap({ sessions: [session([])] }), snap({ sessions: [session(['1h'])] }), snap({ sessions: [session(['1h'])] }), snap({ sessions: [session(['1h', '30m', '5m'])] })]);
    expect(shown.map(keys)).toEqual([[], ['session:live-1:2025-01-06T12:00:00.000Z:1h'], [], ['session:live-1:2025-01-06T12:00:00.000Z:5m']]);
    expect(shown[3]?.[0]).toMatchObject({ title: '5 minutes left: save your work', urgency: 'critical', body: 'Session live-1 in /home/dana/api ends in 15m.' });
    const startup = run([snap({ sessions: [session(['1h', '30m'])] })]);
    expect(startup.map(keys)).toEqual([['session:live-1:2025-01-06T12:00:00.000Z:30m']]);
  });
});

describe('window reset', () => {
  it('says so once when the window has passed its reset, offering the next queued session', () => {
    const ready = queueItem('s4', 'Write the docs');
    const before = snap({ percent: 70, generatedAt: '2025-01-06T19:25:00.000Z' });
    const after = snap({ windowStart: null, percent: 0, generatedAt: '2025-01-06T19:30:01.000Z', queue: queue([], ready) });
    const shown = run([before, after, after]);
    expect(shown.map(keys)).toEqual([[`quota:${WINDOW_START}:50`], [`reset:${WINDOW_START}`], []]);
    expect(shown[1]?.[0]).toMatchObject({ title: 'Quota window reset', body: 'The full quota is available again (200,000 tokens). Next in the queue: Write the docs.' });
    expect(shown[1]?.[0]?.actions).toEqual([{ label: 'Start session', command: { kind: 'start-queued', id: 's4' } }]);
  });

  it('a window start that moves before the reset (a settings change) is not a reset', () => {
    const shown = run([snap({ percent: 30 }), snap({ windowStart: '2025-01-06T14:00:00.000Z', percent: 30 })]);
    expect(shown.flat().filter((n) => n.kind === 'reset')).toEqual([]);
  });
});

describe('scheduled sessions coming due', () => {
  it('each due session once, with Start session and Snooze', () => {
    const item = queueItem('s3', 'Implementation - Part 2/3');
    const shown = run([snap({ queue: queue([]) }), snap({ queue: queue([item]) }), snap({ queue: queue([item]) })], { platform: 'win32' });
    expect(shown.map(keys)).toEqual([[], ['due:s3:2025-01-06T16:30:00.000Z'], []]);
    expect(shown[1]?.[0]).toMatchObject({ title: 'Scheduled session due: Implementation - Part 2/3', body: '1.5h · 40,000 tokens · /home/dana/api' });
    expect(shown[1]?.[0]?.actions.map((a) => a.command)).toEqual([{ kind: 'start-queued', id: 's3' }, { kind: 'snooze', minutes: 60 }]);
  });

  it('no queue part: nothing', () => {
    expect(run([snap(), snap()])).toEqual([[], []]);
  });
});

describe('untrusted text', () => {
  it('paths, session ids and queue names reach a notification with every control made visible', () => {
    const evil = `/tmp/x${ATTACK_LINES}`;
    const hostileContext: ContextSnapshot = { ...context('warning', 70), sessionId: `s${ATTACK}`, cwd: evil };
    const hostileSession = { ...session(['1h']), sessionId: `live${ATTACK}`, cwd: evil };
    const item = { ...queueItem('s3', `Name${ATTACK}`), project: evil };
    const shown = run([
      snap({ context: context('moderate', 60), sessions: [session([])], queue: queue([]) }),
      snap({ context: hostileContext, sessions: [hostileSession], queue: queue([item]) }),
    ]).flat();
    expect(shown.map((n) => n.kind).sort()).toEqual(['context', 'queue', 'session']);
    for (const n of shown) {
      expectNoRawControls(`${n.title}${n.body}`, n.key);
      expect(`${n.title}${n.body}`).not.toContain('\n');
    }
    expect(shown.find((n) => n.kind === 'queue')?.title).toContain(TITLE_SHOWN);
  });

  it('the tray menu shows the next queued name made safe', () => {
    const labels = trayView(snap({ queue: queue([], queueItem('s4', `Next${ATTACK}`)) }), 'darwin').menu.flatMap((entry) => ('label' in entry ? [entry.label] : []));
    expect(labels.some((label) => label.startsWith(`Start "Next\\x1b[2J${TITLE_SHOWN}`))).toBe(true);
    expectNoRawControls(labels.join('\n'), 'tray menu');
  });
});

describe('every notification button is one click away in the tray menu (Linux shows no buttons)', () => {
  /** Each notification with buttons, produced the way the notifier meets it: previous, then next. */
  const scenarios: { name: string; snapshots: Snapshot[] }[] = [
    { name: 'quota past 80%', snapshots: [snap({ percent: 30, queue: READY() }), snap({ percent: 85, queue: READY() })] },
    { name: 'quota past 80%, nothing ready', snapshots: [snap({ percent: 30, queue: queue([]) }), snap({ percent: 85, queue: queue([]) })] },
    { name: 'context DANGER', snapshots: [snap(), snap({ context: context('danger', 84) })] },
    { name: 'session window 1 h left', snapshots: [snap({ sessions: [session([])], queue: READY() }), snap({ sessions: [session(['1h'])], queue: READY() })] },
    { name: 'session window 1 h left, nothing ready', snapshots: [snap({ sessions: [session([])], queue: queue([]) }), snap({ sessions: [session(['1h'])], queue: queue([]) })] },
    {
      name: 'window reset with a ready session',
      snapshots: [snap({ percent: 70, generatedAt: '2025-01-06T19:25:00.000Z' }), snap({ windowStart: null, percent: 0, generatedAt: '2025-01-06T19:30:01.000Z', queue: queue([], queueItem('s4', 'Write the docs')) })],
    },
    // A due session that is not the next ready one: the menu's "Start next" item would not cover it.
    { name: 'scheduled session due', snapshots: [snap({ queue: queue([], queueItem('s1', 'Plan')) }), snap({ queue: queue([queueItem('s3', 'Implementation')], queueItem('s1', 'Plan')) })] },
  ];

  it.each(scenarios)('$name', ({ snapshots }) => {
    const shown = run(snapshots, { platform: 'darwin' }).at(-1) ?? [];
    const buttons = shown.flatMap((notification) => notification.actions);
    expect(buttons.length).toBeGreaterThan(0);
    const next = snapshots.at(-1) as Snapshot;
    // Top-level items only: one click once the menu is open, no submenu to find.
    const menu = trayView(next, 'linux').menu;
    for (const button of buttons) {
      const item = menu.find((candidate) => candidate.type === 'action' && candidate.enabled && JSON.stringify(candidate.command) === JSON.stringify(button.command));
      expect(item, `"${button.label}" (${JSON.stringify(button.command)}) is not in the tray menu`).toBeDefined();
    }
  });

  it('the scenarios cover every kind of notification that has buttons, and every button command', () => {
    const shown = scenarios.flatMap(({ snapshots }) => run(snapshots, { platform: 'darwin' }).at(-1) ?? []);
    expect(new Set(shown.filter((n) => n.actions.length > 0).map((n) => n.kind))).toEqual(new Set(['quota', 'context', 'session', 'reset', 'queue']));
    expect(new Set(shown.flatMap((n) => n.actions.map((a) => a.command.kind)))).toEqual(new Set(['schedule-at-reset', 'snooze', 'copy-compact', 'start-queued']));
  });
});
