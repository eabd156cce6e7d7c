/**
 * The app's side of the auto-start at the reset: the whole main process (startApp, the fake
 * electron module, a real Engine on a temp root) with a clock the test moves and a fake terminal
 * (a real child process appending its argv). The machine sleeps over the reset; Electron's
 * powerMonitor 'resume' makes the app check at once, catch the slot up once, and say so in a
 * notification with Stop and Open where the OS shows buttons; on Linux, Stop is in the tray menu.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApp, type AppHandle } from '../../main/app/app.js';
import { readAutoStartRecord } from '../../main/core/planner/auto-start-record.js';
import { addSession, readQueue, scheduleSession, updateQueue } from '../../main/core/planner/queue.js';
import type { FakeMenuItem } from '../fakes/electron.js';
import { fakeElectron, resetFakeElectron } from '../fakes/electron.js';
import { tempRoot } from '../helpers/cli.js';

vi.mock('electron', () => import('../fakes/electron.js'));

const RESET = Date.parse('2026-03-02T14:00:00.000Z');
const MINUTE = 60_000;
const TERMINAL = path.resolve('test/fixtures/planner/append-launch.mjs');

const handles: AppHandle[] = [];
const dirs: string[] = [];
beforeEach(() => resetFakeElectron());
afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.shutdown()));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function fixtureRoot(): { root: string; launches: string } {
  const root = tempRoot('cco-app-auto-start-');
  const project = tempRoot('cco-app-auto-start-project-');
  dirs.push(root, project);
  const launches = path.join(root, 'launches.jsonl');
  fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ autoStartAtReset: true, terminal: [process.execPath, TERMINAL, launches, '{cwd}', '{command}'] }));
  updateQueue(root, RESET - 3 * 60 * MINUTE, (queue) => {
    const session = addSession(queue, { name: 'Refactor the parser', project, estimatedTokens: 30_000, estimatedHours: 2 }, RESET - 3 * 60 * MINUTE);
    scheduleSession(session, RESET, 'quota-reset', RESET - 3 * 60 * MINUTE);
  });
  return { root, launches };
}

function launchCount(file: string): number {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).length : 0;
}

async function appAt(root: string, platform: string, clock: { now: number }): Promise<AppHandle> {
  const handle = await startApp({ page: '/app/renderer/index.html', preload: '/app/dist/app/preload.cjs', platform, env: { CLAUDE_CONFIG_DIR: root, PATH: process.env.PATH }, log: () => {}, clock: () => clock.now });
  if (!handle) throw new Error('startApp returned null');
  handles.push(handle);
  return handle;
}

function autoStartNotifications() {
  return fakeElectron.Notification.instances.filter((n) => n.options.title.includes('automatic') || n.options.title.includes('Automatic'));
}

function labels(items: FakeMenuItem[]): string[] {
  return items.flatMap((item) => [item.label ?? '', ...labels(item.submenu ?? [])]);
}

describe('the app runs the auto-start at the reset', () => {
  it('on powerMonitor resume after a short sleep over the reset: one catch-up, a notification with Stop and Open (macOS), and Stop pauses it', async () => {
    const { root, launches } = fixtureRoot();
    const clock = { now: RESET - 35 * MINUTE };
    await appAt(root, 'darwin', clock);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(launchCount(launches)).toBe(0);

    fakeElectron.powerMonitor.fire('suspend');
    clock.now = RESET + 20 * MINUTE;
    // Without the wake nothing looks at the clock yet (the Engine's tick is 30 s away).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(launchCount(launches)).toBe(0);
    fakeElectron.powerMonitor.fire('resume');
    await vi.waitFor(() => expect(autoStartNotifications()).toHaveLength(1), { timeout: 5_000 });
    // The terminal (a real child process) writes its line once it runs.
    await vi.waitFor(() => expect(launchCount(launches)).toBe(1), { timeout: 5_000 });
    expect(readQueue(root).queue.sessions[0]?.status).toBe('in-progress');
    const [notification] = autoStartNotifications();
    expect(notification?.options.title).toBe('Session started automatically');
    expect(notification?.options.body).toMatch(/^Started s1 "Refactor the parser" at the reset \(caught up: it was due at .+\) in .+\.$/);
    expect(notification?.options.actions?.map((action) => action.text)).toEqual(['Stop auto-start', 'Open']);

    // A second wake does not start it again.
    fakeElectron.powerMonitor.fire('suspend');
    clock.now += MINUTE;
    fakeElectron.powerMonitor.fire('resume');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(launchCount(launches)).toBe(1);

    notification?.pressAction(0);
    await vi.waitFor(() => expect(readAutoStartRecord(root).record.pausedUntil).toBe(new Date(clock.now + 24 * 60 * MINUTE).toISOString()));
  });

  it('on Linux the notification has no buttons and Stop is in the tray menu; a long sleep is a missed notification and no start', async () => {
    const { root, launches } = fixtureRoot();
    const clock = { now: RESET - 10 * MINUTE };
    await appAt(root, 'linux', clock);
    const tray = fakeElectron.Tray.instances[0];
    expect(labels(tray?.contextMenu?.items ?? [])).toContain('Stop auto-start at the reset for a day');
    fakeElectron.powerMonitor.fire('suspend');
    clock.now = RESET + 4 * 60 * MINUTE;
    fakeElectron.powerMonitor.fire('resume');
    await vi.waitFor(() => expect(autoStartNotifications()).toHaveLength(1), { timeout: 5_000 });
    const [notification] = autoStartNotifications();
    expect(notification?.options.title).toBe('Automatic start missed');
    expect(notification?.options.body).toContain('s1 "Refactor the parser": its time passed');
    expect(notification?.options.actions).toEqual([]);
    expect(launchCount(launches)).toBe(0);
    expect(readQueue(root).queue.sessions[0]?.status).toBe('scheduled');
  });
});
