/**
 * The auto-start at the reset through a real Engine, with a fake clock and a fake terminal: the
 * "terminal" setting runs test/fixtures/planner/append-launch.mjs (a real child process) which
 * appends the argv it was given to a file, so each line is one launch. Covered: once, the daily
 * cap, a spent window, the catch-up (and the missed report) after a clock jump that stands for
 * sleep, and two Engines on one root starting a slot once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../main/core/engine.js';
import { statePaths } from '../../main/core/paths.js';
import { followAutoStart, type AutoStartFollower, type AutoStartReport } from '../../main/core/planner/auto-start-follow.js';
import { slotKey } from '../../main/core/planner/auto-start.js';
import { readAutoStartRecord, updateAutoStartRecord } from '../../main/core/planner/auto-start-record.js';
import { launchSettings } from '../../main/core/planner/planner-settings.js';
import { addSession, readQueue, scheduleSession, updateQueue } from '../../main/core/planner/queue.js';
import { loadSettings } from '../../main/core/settings.js';
import { recordStatusLinePayload } from '../../main/core/sources/statusline-store.js';
import { parseStatusLinePayload } from '../../main/core/sources/statusline-payload.js';
import { tempRoot } from '../helpers/cli.js';

const RESET = Date.parse('2026-03-02T14:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TERMINAL = path.resolve('test/fixtures/planner/append-launch.mjs');

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

interface Setup {
  root: string;
  project: string;
  launches: string;
  clock: { now: number };
}

/** A root whose settings turn the auto-start on, with the fake terminal; sessions scheduled at `slots`. */
function setup(slots: number[], settings: Record<string, unknown> = {}): Setup {
  const root = tempRoot('cco-auto-start-');
  const project = tempRoot('cco-auto-start-project-');
  const launches = path.join(root, 'launches.jsonl');
  fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ autoStartAtReset: true, terminal: [process.execPath, TERMINAL, launches, '{cwd}', '{command}'], ...settings }));
  updateQueue(root, RESET - 6 * HOUR, (queue) => {
    for (const [index, at] of slots.entries()) {
      const session = addSession(queue, { name: `Part ${index + 1}`, project, objectives: ['Finish the parser', 'Write its tests'], estimatedTokens: 20_000, estimatedHours: 1 }, RESET - 6 * HOUR);
      scheduleSession(session, at, 'quota-reset', RESET - 6 * HOUR);
    }
  });
  stops.push(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(project, { recursive: true, force: true });
  });
  return { root, project, launches, clock: { now: RESET - MINUTE } };
}

function launched(s: Setup): { argv: string[]; cwd: string }[] {
  if (!fs.existsSync(s.launches)) return [];
  return fs.readFileSync(s.launches, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { argv: string[]; cwd: string });
}

async function running(s: Setup): Promise<{ engine: Engine; follower: AutoStartFollower; reports: AutoStartReport[]; errors: unknown[] }> {
  const engine = new Engine({ roots: [s.root], loadSettings: () => loadSettings(s.root), clock: () => s.clock.now, persist: false, debounceMs: 20, tickMs: 40 });
  const reports: AutoStartReport[] = [];
  const errors: unknown[] = [];
  const follower = followAutoStart(engine, {
    root: s.root,
    now: () => s.clock.now,
    settings: () => engine.settings,
    launch: () => ({ platform: process.platform, env: process.env, settings: launchSettings(engine.settings), which: () => null, needsWindow: true }),
    onReport: (report) => reports.push(report),
    onError: (error) => errors.push(error),
  });
  stops.push(async () => {
    follower.stop();
    await engine.stop();
  });
  await engine.start();
  return { engine, follower, reports, errors };
}

/** Let the Engine's tick, the follower and the terminal's child process run. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

describe('auto-start at the reset through the Engine', () => {
  it('starts the session once when the reset passes: a terminal running claude in the project with its objectives and a pre-assigned session id', async () => {
    const s = setup([RESET]);
    const { engine, follower, reports, errors } = await running(s);
    await settle();
    expect(launched(s)).toEqual([]);
    s.clock.now = RESET + 10_000;
    await vi.waitFor(() => expect(launched(s)).toHaveLength(1), { timeout: 5_000 });
    const [launch] = launched(s);
    const session = readQueue(s.root).queue.sessions[0];
    expect(session?.status).toBe('in-progress');
    expect(launch?.cwd).toBe(fs.realpathSync(s.project));
    const argv = launch?.argv ?? [];
    expect(argv[argv.indexOf('--session-id') + 1]).toBe(session?.claudeSessionId);
    expect(argv.join(' ')).toContain('Finish the parser');
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    expect(reports[0]?.texts[0]?.title).toBe('Session started automatically');
    expect(reports[0]?.texts[0]?.body).toMatch(/^Started s1 "Part 1" at the reset in /);
    // Later checks, a refresh and a wake-style explicit check start nothing more.
    s.clock.now = RESET + 2 * MINUTE;
    engine.refresh();
    await follower.check();
    await settle();
    expect(launched(s)).toHaveLength(1);
    expect(readAutoStartRecord(s.root).record.entries.map((entry) => [entry.id, entry.outcome])).toEqual([['s1', 'started']]);
    expect(errors).toEqual([]);
  });

  it('does nothing with the setting off (the default)', async () => {
    const s = setup([RESET], { autoStartAtReset: false });
    const { follower } = await running(s);
    s.clock.now = RESET + 10_000;
    await settle();
    await follower.check();
    expect(launched(s)).toEqual([]);
    expect(fs.existsSync(statePaths(s.root).autoStartRecord)).toBe(false);
  });

  it('holds the second start of the day at autoStartMaxPerDay 1 and says why', async () => {
    const s = setup([RESET, RESET + HOUR], { autoStartMaxPerDay: 1 });
    const { reports } = await running(s);
    s.clock.now = RESET + 10_000;
    await vi.waitFor(() => expect(launched(s)).toHaveLength(1), { timeout: 5_000 });
    s.clock.now = RESET + HOUR + 10_000;
    await vi.waitFor(() => expect(reports.some((report) => report.passed.some((slot) => slot.outcome === 'capped'))).toBe(true), { timeout: 5_000 });
    await settle();
    expect(launched(s)).toHaveLength(1);
    expect(reports.at(-1)?.texts[0]?.body).toContain('s2 "Part 2": 1 automatic start in the last 24 hours already (autoStartMaxPerDay)');
    expect(readQueue(s.root).queue.sessions.map((session) => session.status)).toEqual(['in-progress', 'scheduled']);
  });

  it('never starts when the server\'s fresh figures say the new window is already spent, and says so', async () => {
    const s = setup([RESET]);
    const observed = RESET + 5_000;
    recordStatusLinePayload(s.root, parseStatusLinePayload({ session_id: 'other', rate_limits: { five_hour: { used_percentage: 100, resets_at: (RESET + 5 * HOUR) / 1000 } } }, observed), observed);
    const { reports } = await running(s);
    s.clock.now = RESET + 10_000;
    await vi.waitFor(() => expect(reports).toHaveLength(1), { timeout: 5_000 });
    await settle();
    expect(launched(s)).toEqual([]);
    expect(reports[0]?.passed.map((slot) => slot.outcome)).toEqual(['spent']);
    expect(reports[0]?.texts[0]).toEqual({
      title: 'Session not started automatically',
      body: 's1 "Part 1": the server says the new 5-hour window is already spent (100%). Start it yourself when you are ready (Start next session).',
    });
    expect(readQueue(s.root).queue.sessions[0]?.status).toBe('scheduled');
  });

  it('after a short sleep over the reset, catches up once on wake; the slot before it is reported, not started', async () => {
    const s = setup([RESET - 30 * MINUTE, RESET]);
    s.clock.now = RESET - 35 * MINUTE;
    const { reports } = await running(s);
    await settle();
    // The clock jumps 55 minutes at once: the machine slept over both slots.
    s.clock.now = RESET + 20 * MINUTE;
    await vi.waitFor(() => expect(reports).toHaveLength(1), { timeout: 5_000 });
    await settle();
    expect(launched(s)).toHaveLength(1);
    expect(reports[0]?.started?.slot.session.id).toBe('s2');
    expect(reports[0]?.started?.slot.late).toBe(true);
    expect(reports[0]?.passed.map((slot) => [slot.session.id, slot.outcome])).toEqual([['s1', 'missed']]);
    expect(reports[0]?.texts.map((text) => text.title)).toEqual(['Session started automatically', 'Automatic start missed']);
  });

  it('after a long sleep over the reset, reports it missed and starts nothing', async () => {
    const s = setup([RESET]);
    const { reports } = await running(s);
    await settle();
    s.clock.now = RESET + 3 * HOUR;
    await vi.waitFor(() => expect(reports).toHaveLength(1), { timeout: 5_000 });
    await settle();
    expect(launched(s)).toEqual([]);
    expect(reports[0]?.texts).toEqual([expect.objectContaining({ title: 'Automatic start missed' })]);
  });

  it('two Engines on one root (the app and cco status --watch): one holds the lock and starts the slot once; the other takes over when it stops', async () => {
    const s = setup([RESET, RESET + 2 * HOUR]);
    const first = await running(s);
    const second = await running(s);
    await settle();
    expect([first.follower.owns(), second.follower.owns()]).toEqual([true, false]);
    s.clock.now = RESET + 10_000;
    await vi.waitFor(() => expect(launched(s)).toHaveLength(1), { timeout: 5_000 });
    await Promise.all([first.follower.check(), second.follower.check()]);
    await settle();
    expect(launched(s)).toHaveLength(1);
    // The owner goes (the app quits): the other runs the next slot.
    first.follower.stop();
    s.clock.now = RESET + 2 * HOUR + 10_000;
    await vi.waitFor(() => expect(launched(s)).toHaveLength(2), { timeout: 5_000 });
    expect(second.follower.owns()).toBe(true);
    expect(second.reports.map((report) => report.started?.slot.session.id)).toEqual(['s2']);
  });

  it('a terminal that cannot open: the start is reported failed with the command to run by hand, the session stays scheduled, and it is not retried', async () => {
    const s = setup([RESET], { terminal: [path.join(tempRoot('cco-no-terminal-'), 'missing-terminal'), '{command}'] });
    const { follower, reports } = await running(s);
    s.clock.now = RESET + 10_000;
    await vi.waitFor(() => expect(reports).toHaveLength(1), { timeout: 5_000 });
    expect(reports[0]?.started?.result.action).toBe('failed');
    expect(reports[0]?.texts[0]?.title).toBe('Automatic start failed');
    expect(reports[0]?.texts[0]?.body).toMatch(/^s1 could not start: could not start .*missing-terminal: .*\. Run it by hand: .*claude.* --session-id /);
    expect(readQueue(s.root).queue.sessions[0]?.status).toBe('scheduled');
    expect(readAutoStartRecord(s.root).record.entries.map((entry) => entry.outcome)).toEqual(['failed']);
    s.clock.now += MINUTE;
    await follower.check();
    expect(reports).toHaveLength(1);
  });

  it('a slot another process already claimed in the record is not started again', async () => {
    const s = setup([RESET]);
    const session = readQueue(s.root).queue.sessions[0]!;
    updateAutoStartRecord(s.root, RESET, (record) => {
      record.entries.push({ key: slotKey(session, session.scheduledTime!), id: 's1', name: session.name, at: session.scheduledTime!, outcome: 'started', decidedAt: new Date(RESET + 1_000).toISOString(), reason: null });
    });
    const { follower, reports } = await running(s);
    s.clock.now = RESET + 10_000;
    await settle();
    await follower.check();
    expect(launched(s)).toEqual([]);
    expect(reports).toEqual([]);
  });
});
