/**
 * The notifier (fake electron) fed Snapshots the way the Engine makes them while a fake clock
 * jumps: forward past a warning, past several at once, back again, asleep across the window's
 * reset, asleep while scheduled sessions came due, and across an app restart with the app store
 * (real electron-store) on disk. Late ones are summed up once as missed; nothing is shown twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatLocalTime } from '../../shared/format.js';
import type { QueueItem, QueueSnapshot } from '../../shared/queue-snapshot.js';
import { SESSION_WARNINGS, type SessionInfo } from '../../shared/sessions.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { createNotifier, type NotifierHandle } from '../../main/app/notifier.js';
import type { NotificationToggles } from '../../main/app/notification-policy.js';
import { APP_STORE_NAME, openAppStore } from '../../main/app/app-store.js';
import { memorySentKeys, storedSentKeys, type SentKeys } from '../../main/app/sent-store.js';
import { snapshotFixture } from '../fixtures/snapshot-fixtures.js';
import { tempRoot } from '../helpers/cli.js';
import { fakeElectron, resetFakeElectron } from '../fakes/electron.js';

vi.mock('electron', () => import('../fakes/electron.js'));

const BASE = snapshotFixture('active-good');
const ALL_ON: NotificationToggles = { notifyQuota: true, notifyContext: true, notifySessions: true, notifyReset: true, notifyQueue: true };
const DAY = '2025-01-06T';
const t = (hhmm: string): number => Date.parse(`${DAY}${hhmm}:00.000Z`);
/** The live session: started 12:00, its window ends 17:00 (marks at 16:00, 16:30, 16:55). */
const SESSION_START = t('12:00');
const WINDOW_END = t('17:00');

beforeEach(() => resetFakeElectron());

function session(now: number): SessionInfo {
  const remaining = (WINDOW_END - now) / 60_000;
  const passed = SESSION_WARNINGS.filter((row) => remaining <= row.minutes);
  const upcoming = SESSION_WARNINGS.find((row) => remaining > row.minutes);
  return {
    sessionId: 'live-1',
    cwd: '/home/dana/api',
    agent: null,
    transcriptPath: null,
    detectedBy: 'pid-file',
    startedAt: new Date(SESSION_START).toISOString(),
    windowEnd: new Date(WINDOW_END).toISOString(),
    elapsedMinutes: Math.round((now - SESSION_START) / 60_000),
    remainingMinutes: Math.round(remaining),
    progressPercent: 50,
    lastActivity: new Date(now).toISOString(),
    status: 'busy',
    tokens: { source: 'transcript', breakdown: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 }, counted: 0, messages: 0 },
    toolCalls: 0,
    cacheExpiresAt: null,
    cacheColdCost: null,
    warningsPassed: passed.map((row) => row.id),
    nextWarning: upcoming ? { id: upcoming.id, at: new Date(WINDOW_END - upcoming.minutes * 60_000).toISOString() } : null,
  };
}

function item(id: string, name: string, due: string): QueueItem {
  return { id, name, status: 'scheduled', estimatedTokens: 40_000, estimatedHours: 1, project: '/home/dana/api', scheduledTime: `${DAY}${due}:00.000Z` };
}

function queue(now: number, items: QueueItem[]): QueueSnapshot {
  const due = items.filter((entry) => Date.parse(entry.scheduledTime ?? '') <= now);
  return { summary: { total: items.length, done: 0, ready: due.length, scheduled: items.length - due.length, inProgress: 0, skipped: 0, blocked: 0 }, nextReady: null, ready: [], due, nextScheduled: null, inProgress: [], entries: [] };
}

/**
 * The Snapshot the Engine computes at `now`: the 5-hour window that started at `windowStart`
 * (gone once its reset has passed), the live session while its window lasts, and the queue.
 */
function snapshotAt(now: number, options: { windowStart?: string; items?: QueueItem[] } = {}): Snapshot {
  const window = BASE.quota.currentWindow;
  if (!window) throw new Error('fixture without a window');
  const start = t(options.windowStart ?? '13:00');
  const reset = start + 5 * 3_600_000;
  const live = now < reset;
  const sessions = now < WINDOW_END ? [session(now)] : [];
  return {
    ...BASE,
    generatedAt: new Date(now).toISOString(),
    quota: {
      ...BASE.quota,
      hyperaware: false,
      percentUsed: live ? 20 : 0,
      currentWindow: live ? { ...window, startTime: new Date(start).toISOString(), resetTime: new Date(reset).toISOString() } : null,
    },
    context: null,
    sessions,
    session: sessions[0] ?? null,
    queue: queue(now, options.items ?? []),
  };
}

function notifier(sent: SentKeys = memorySentKeys()): NotifierHandle {
  return createNotifier({ platform: 'linux', settings: () => ALL_ON, sent, run: () => {}, banner: () => {} });
}

const shown = (): { title: string; body: string }[] => fakeElectron.Notification.instances.map((n) => ({ title: n.options.title, body: n.options.body }));

describe('a clock that jumps forward', () => {
  it('past a warning: reported missed once, not shown as if it were news', () => {
    const n = notifier();
    n.onSnapshot(snapshotAt(t('15:50')));
    n.onSnapshot(snapshotAt(t('16:20')));
    n.onSnapshot(snapshotAt(t('16:21')));
    expect(shown()).toEqual([{ title: 'Missed notification', body: `Since ${formatLocalTime(t('15:50'))}: session live-1 had 1 hour left at ${formatLocalTime(t('16:00'))}.` }]);
  });

  it('past several (warnings, the reset, a scheduled session): one summary', () => {
    const n = notifier();
    const items = [item('s3', 'Docs pass', '16:40')];
    n.onSnapshot(snapshotAt(t('15:50'), { windowStart: '11:50', items }));
    n.onSnapshot(snapshotAt(t('16:58'), { windowStart: '11:50', items }));
    expect(shown()).toHaveLength(1);
    expect(shown()[0]).toEqual({
      title: '3 missed notifications',
      body: `Since ${formatLocalTime(t('15:50'))}: session 'Docs pass' was due at ${formatLocalTime(t('16:40'))}; the 5-hour window reset at ${formatLocalTime(t('16:50'))}; session live-1 had 5 minutes left at ${formatLocalTime(t('16:55'))}.`,
    });
  });

  it('a warning reached on time still shows (within the grace, after a quiet stretch)', () => {
    const n = notifier();
    n.onSnapshot(snapshotAt(t('14:00')));
    n.onSnapshot(snapshotAt(t('16:00') + 50));
    expect(shown().map((s) => s.title)).toEqual(['1 hour left in this session window']);
  });
});

describe('a clock that jumps back', () => {
  it('nothing already shown or reported is shown again when the clock passes it a second time', () => {
    const n = notifier();
    n.onSnapshot(snapshotAt(t('15:50')));
    // Forward past the 1 h mark (missed), then back before it, then on past it, then on time past 30 min.
    n.onSnapshot(snapshotAt(t('16:20')));
    n.onSnapshot(snapshotAt(t('15:40')));
    n.onSnapshot(snapshotAt(t('16:00') + 30_000));
    n.onSnapshot(snapshotAt(t('16:10')));
    // Back once more, past the 30 min mark shown on time: not again.
    n.onSnapshot(snapshotAt(t('16:30') + 10_000));
    n.onSnapshot(snapshotAt(t('16:25')));
    n.onSnapshot(snapshotAt(t('16:30') + 20_000));
    expect(shown().map((s) => s.title)).toEqual(['Missed notification', '30 minutes left in this session window']);
  });
});

describe('asleep', () => {
  it('across the window reset: the reset reported once, and the new warnings still fire on time', () => {
    const n = notifier();
    n.onSnapshot(snapshotAt(t('13:00'), { windowStart: '09:00' }));
    n.suspended();
    n.onSnapshot(snapshotAt(t('15:30'), { windowStart: '09:00' }));
    n.resumed();
    n.onSnapshot(snapshotAt(t('15:31'), { windowStart: '09:00' }));
    expect(shown()).toEqual([{ title: 'Missed notification', body: `While asleep: the 5-hour window reset at ${formatLocalTime(t('14:00'))}.` }]);
    n.onSnapshot(snapshotAt(t('16:00') + 100, { windowStart: '09:00' }));
    n.onSnapshot(snapshotAt(t('16:01'), { windowStart: '09:00' }));
    expect(shown().map((s) => s.title)).toEqual(['Missed notification', '1 hour left in this session window']);
  });

  it('while scheduled sessions came due: one missed notification, not one Start prompt each', () => {
    const n = notifier();
    const items = [item('s1', 'Refactor auth', '13:30'), item('s2', 'Write tests', '14:00'), item('s3', 'Later', '15:45')];
    n.onSnapshot(snapshotAt(t('13:00'), { items }));
    n.suspended();
    n.onSnapshot(snapshotAt(t('15:00'), { items }));
    n.resumed();
    expect(shown()).toEqual([
      { title: '2 missed notifications', body: `While asleep: session 'Refactor auth' was due at ${formatLocalTime(t('13:30'))}; session 'Write tests' was due at ${formatLocalTime(t('14:00'))}.` },
    ]);
    // The one still ahead comes due on time afterwards, as usual.
    n.onSnapshot(snapshotAt(t('15:45') + 100, { items }));
    expect(shown().map((s) => s.title)).toEqual(['2 missed notifications', 'Scheduled session due: Later']);
  });
});

describe('settings', () => {
  it('a kind turned off is left out of the summary and passed over for good', () => {
    const n = createNotifier({ platform: 'linux', settings: () => ({ ...ALL_ON, notifySessions: false }), sent: memorySentKeys(), run: () => {}, banner: () => {} });
    n.onSnapshot(snapshotAt(t('13:00'), { windowStart: '09:00' }));
    n.onSnapshot(snapshotAt(t('16:40'), { windowStart: '09:00' }));
    n.onSnapshot(snapshotAt(t('16:41'), { windowStart: '09:00' }));
    expect(shown()).toEqual([{ title: 'Missed notification', body: `Since ${formatLocalTime(t('13:00'))}: the 5-hour window reset at ${formatLocalTime(t('14:00'))}.` }]);
  });
});

describe('an app restart', () => {
  it('keeps a snooze: a warning that comes due within it stays quiet after the restart', () => {
    const root = tempRoot('cco-clock-snooze-');
    let now = t('15:50');
    const restart = (): NotifierHandle =>
      createNotifier({ platform: 'linux', settings: () => ALL_ON, sent: storedSentKeys(openAppStore({ cwd: root, version: '0.1.0', legacyRoot: null }).store, () => now), run: () => {}, banner: () => {}, now: () => now });
    const first = restart();
    first.onSnapshot(snapshotAt(now));
    first.snooze(60);
    now = t('15:55');
    const second = restart();
    second.onSnapshot(snapshotAt(now));
    now = t('16:00') + 20_000;
    second.onSnapshot(snapshotAt(now));
    expect(shown()).toEqual([]);
  });

  it('reports what came due while it was closed once, from the sent store, and repeats nothing', () => {
    const root = tempRoot('cco-clock-restart-');
    const fileSentKeys = (dir: string, clock: () => number): SentKeys => storedSentKeys(openAppStore({ cwd: dir, version: '0.1.0', legacyRoot: null }).store, clock);
    let now = t('15:50');
    const first = notifier(fileSentKeys(root, () => now));
    first.onSnapshot(snapshotAt(now));
    now = t('16:00') + 20_000;
    first.onSnapshot(snapshotAt(now));
    expect(shown().map((s) => s.title)).toEqual(['1 hour left in this session window']);

    // Quit at 16:05; started again at 16:40, past the 30 min mark.
    now = t('16:05');
    first.onSnapshot(snapshotAt(now));
    now = t('16:40');
    const second = notifier(fileSentKeys(root, () => now));
    second.onSnapshot(snapshotAt(now));
    expect(shown()[1]).toEqual({ title: 'Missed notification', body: `While the app was closed: session live-1 had 30 minutes left at ${formatLocalTime(t('16:30'))}.` });

    // And again a minute later: nothing new, neither the 1 h warning nor the missed 30 min one.
    now = t('16:41');
    const third = notifier(fileSentKeys(root, () => now));
    third.onSnapshot(snapshotAt(now));
    expect(shown()).toHaveLength(2);
    const file = JSON.parse(fs.readFileSync(path.join(root, `${APP_STORE_NAME}.json`), 'utf8')) as { notifications: { lastCheck: string } };
    expect(file.notifications.lastCheck).toBe(new Date(t('16:41')).toISOString());
  });
});
