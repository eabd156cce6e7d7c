/**
 * The whole main process (startApp, fake electron, real Engine on a real temp root) with a clock
 * the test moves: the machine sleeps through a session's warnings and a scheduled session's time,
 * and on Electron's powerMonitor 'resume' the app looks again at once and reports them in one
 * missed notification, not as a burst, and not again on the next wake.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatLocalTime } from '../../shared/format.js';
import { startApp, type AppHandle } from '../../main/app/app.js';
import { addSession, scheduleSession, updateQueue } from '../../main/core/planner/queue.js';
import { APP_STORE_NAME } from '../../main/app/app-store.js';
import { assistantLine, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';
import { fakeElectron, resetFakeElectron } from '../fakes/electron.js';

vi.mock('electron', () => import('../fakes/electron.js'));

const handles: AppHandle[] = [];
beforeEach(() => resetFakeElectron());
afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.shutdown()));
});

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MINUTE = 60_000;

/** A live Claude Code session (its pid file names this process) started at T0, and a session scheduled for T0 + 4h20. */
function fixtureRoot(): string {
  const root = tempRoot('cco-app-clock-');
  writeTranscript(root, 'live-session', [
    userLine({ timestamp: new Date(T0).toISOString(), text: 'Ship the release notes', sessionId: 'live-session' }),
    assistantLine({ messageId: 'msg_1', sessionId: 'live-session', timestamp: new Date(T0 + 1000).toISOString(), input: 1_000, output: 500 }),
  ]);
  fs.mkdirSync(path.join(root, 'sessions'));
  fs.writeFileSync(path.join(root, 'sessions', `${process.pid}.json`), JSON.stringify({ pid: process.pid, sessionId: 'live-session', startedAt: T0, status: 'busy' }));
  updateQueue(root, T0, (queue) => {
    const session = addSession(queue, { name: 'Docs pass', project: root, estimatedTokens: 10_000, estimatedHours: 1 }, T0);
    scheduleSession(session, T0 + 260 * MINUTE, 'user', T0);
  });
  return root;
}

describe('startApp across a sleep (powerMonitor)', () => {
  it('on resume, what came due asleep is one missed notification, once', async () => {
    const root = fixtureRoot();
    let now = T0 + 230 * MINUTE;
    const handle = await startApp({ page: '/app/renderer/index.html', preload: '/app/dist/app/preload.cjs', platform: 'linux', env: { CLAUDE_CONFIG_DIR: root }, log: () => {}, clock: () => now });
    if (!handle) throw new Error('startApp returned null');
    handles.push(handle);
    expect(handle.engine.snapshot?.sessions.map((s) => s.sessionId)).toEqual(['live-session']);
    expect(fakeElectron.Notification.instances).toEqual([]);

    // Asleep from 12:50 to 13:58 (UTC): the 1 h, 30 min and 5 min marks and the scheduled time pass.
    fakeElectron.powerMonitor.fire('suspend');
    now = T0 + 298 * MINUTE;
    fakeElectron.powerMonitor.fire('resume');
    expect(fakeElectron.Notification.instances.map((n) => ({ title: n.options.title, body: n.options.body }))).toEqual([
      {
        title: '2 missed notifications',
        body: `While asleep: session 'Docs pass' was due at ${formatLocalTime(T0 + 260 * MINUTE)}; session live-session had 5 minutes left at ${formatLocalTime(T0 + 295 * MINUTE)}.`,
      },
    ]);

    // Another wake a little later: nothing again.
    fakeElectron.powerMonitor.fire('suspend');
    now += 30_000;
    fakeElectron.powerMonitor.fire('resume');
    expect(fakeElectron.Notification.instances).toHaveLength(1);
    const stored = JSON.parse(fs.readFileSync(path.join(fakeElectron.app.getPath('userData'), `${APP_STORE_NAME}.json`), 'utf8')) as { notifications: { sent: Record<string, string>; lastCheck: string } };
    const sent = stored.notifications;
    expect(Object.keys(sent.sent)).toContain('due:s1:2026-03-02T13:20:00.000Z');
    expect(sent.lastCheck).toBe(new Date(T0 + 298 * MINUTE).toISOString());
  });
});
