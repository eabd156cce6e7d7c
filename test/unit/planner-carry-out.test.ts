/**
 * carryOut: what each decision does to a real queue file in a temp root, per mode, with a fake
 * terminal (the launch environment's `run`) standing in for spawning one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LaunchEnvironment } from '../../main/core/planner/actions.js';
import { autoScheduleAtCritical, carryOut, type CarryMode, type CarryOutEnv } from '../../main/core/planner/carry-out.js';
import type { LaunchCommand } from '../../main/core/planner/launcher.js';
import { planNext, type PlanDecision, type QuotaFigures } from '../../main/core/planner/planner.js';
import { addSession, queueFile, readQueue, updateQueue } from '../../main/core/planner/queue.js';

const NOW = Date.parse('2026-01-06T15:00:00.000Z');
const RESET = '2026-01-06T17:30:00.000Z';
const MODES: CarryMode[] = ['act', 'report', 'print', 'what-if'];

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

function quota(remaining: number): QuotaFigures {
  const limit = 200_000;
  const percentUsed = ((limit - remaining) / limit) * 100;
  return { limit, used: limit - remaining, remaining, percentUsed, level: percentUsed >= 95 ? 'critical' : 'good', resetTime: RESET, resetSource: 'window', weekly: null };
}

interface Rig {
  root: string;
  env: CarryOutEnv;
  /** What the fake terminal was asked to run. */
  ran: LaunchCommand[];
  decide(remaining: number, hours?: number | null): PlanDecision;
  statuses(): Record<string, string>;
  queueText(): string;
}

/** A temp root whose queue holds these sessions (in this order: s1, s2, ...), each in a real project directory. */
function rig(sessions: { name: string; tokens: number; hours?: number }[], terminal = true): Rig {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-carry-out-'));
  roots.push(root);
  const project = fs.mkdtempSync(path.join(root, 'project-'));
  updateQueue(root, NOW - 60_000, (queue) => {
    for (const s of sessions) addSession(queue, { name: s.name, project, estimatedTokens: s.tokens, estimatedHours: s.hours ?? 1 }, NOW - 60_000);
  });
  const ran: LaunchCommand[] = [];
  const launch = (): LaunchEnvironment => ({
    platform: 'linux',
    env: {},
    settings: { terminal: null, claudePath: null },
    which: (command) => (terminal && command === 'x-terminal-emulator' ? '/usr/bin/x-terminal-emulator' : null),
    needsWindow: true,
    run: async (command) => {
      ran.push(command);
      return 0;
    },
  });
  return {
    root,
    env: { root, now: NOW, launch },
    ran,
    decide: (remaining, hours = null) => planNext({ queue: readQueue(root).queue, now: NOW, hours, quota: quota(remaining), autoScheduleAtCritical: true }),
    statuses: () => Object.fromEntries(readQueue(root).queue.sessions.map((s) => [s.id, s.status])),
    queueText: () => fs.readFileSync(queueFile(root), 'utf8'),
  };
}

const carry = (r: Rig, decision: PlanDecision, mode: CarryMode, choice: string | null = null) => carryOut(decision, { mode, queue: readQueue(r.root).queue, choice }, r.env);

describe('carryOut: a start', () => {
  it('act starts the session in the terminal and marks it in progress with its claude session id', async () => {
    const r = rig([{ name: 'Implementation', tokens: 50_000 }]);
    const decision = r.decide(200_000);
    expect(decision.decision).toBe('start');
    const result = await carry(r, decision, 'act');
    expect(result).toMatchObject({ action: 'started', ids: ['s1'], slots: [], problem: null, manual: null });
    expect(r.ran).toHaveLength(1);
    expect(r.ran[0]?.terminal).toBe('x-terminal-emulator');
    const session = readQueue(r.root).queue.sessions[0];
    expect(session?.status).toBe('in-progress');
    expect(session?.claudeSessionId).toBe(result.start?.launch.sessionId);
  });

  it('print shows the command a start would run, runs nothing and writes nothing', async () => {
    const r = rig([{ name: 'Implementation', tokens: 50_000 }]);
    const before = r.queueText();
    const result = await carry(r, r.decide(200_000), 'print');
    expect(result.action).toBe('printed');
    expect(result.start?.started).toBe(false);
    expect(result.start?.command?.terminal).toBe('x-terminal-emulator');
    expect(r.ran).toEqual([]);
    expect(r.queueText()).toBe(before);
  });

  it('report and what-if prepare the launch (what --yes would run) and change nothing', async () => {
    for (const mode of ['report', 'what-if'] as const) {
      const r = rig([{ name: 'Implementation', tokens: 50_000 }]);
      const before = r.queueText();
      const result = await carry(r, r.decide(200_000), mode);
      expect(result.action).toBe('none');
      expect(result.preview?.session.id).toBe('s1');
      expect(result.preview?.command?.terminal).toBe('x-terminal-emulator');
      expect(r.ran).toEqual([]);
      expect(r.queueText()).toBe(before);
    }
  });

  it('with no terminal to open, act fails with the command to run by hand and leaves the session ready', async () => {
    const r = rig([{ name: 'Implementation', tokens: 50_000 }], false);
    const result = await carry(r, r.decide(200_000), 'act');
    expect(result.action).toBe('failed');
    expect(result.problem).toMatch(/terminal/);
    expect(result.manual).toMatch(/claude/);
    expect(r.ran).toEqual([]);
    expect(r.statuses()).toEqual({ s1: 'ready' });
  });
});

describe('carryOut: smaller', () => {
  const sessions = [
    { name: 'Big', tokens: 150_000 },
    { name: 'Small A', tokens: 20_000 },
    { name: 'Small B', tokens: 10_000 },
  ];

  it('starts the option the person picked, not the first', async () => {
    const r = rig(sessions);
    const decision = r.decide(40_000);
    expect(decision.decision).toBe('smaller');
    expect(decision.options.map((option) => option.session.id)).toEqual(['s2', 's3']);
    const result = await carry(r, decision, 'act', 's3');
    expect(result).toMatchObject({ action: 'started', ids: ['s3'] });
    expect(r.statuses()).toEqual({ s1: 'ready', s2: 'ready', s3: 'in-progress' });
  });

  it('with no choice starts the first that fits; a choice that is not an option starts nothing', async () => {
    const r = rig(sessions);
    expect(await carry(r, r.decide(40_000), 'act', 's1')).toMatchObject({ action: 'none', ids: [] });
    expect(r.ran).toEqual([]);
    expect(await carry(r, r.decide(40_000), 'act')).toMatchObject({ action: 'started', ids: ['s2'] });
    expect(r.statuses()).toEqual({ s1: 'ready', s2: 'in-progress', s3: 'ready' });
  });
});

describe('carryOut: schedule', () => {
  it('act gives the session its time at the reset; no other mode writes anything', async () => {
    const r = rig([{ name: 'Implementation', tokens: 65_000 }]);
    const decision = r.decide(18_000);
    expect(decision).toMatchObject({ decision: 'schedule', automatic: null });
    const before = r.queueText();
    for (const mode of ['report', 'print', 'what-if'] as const) {
      expect(await carry(r, decision, mode)).toMatchObject({ action: 'none', ids: [], slots: [] });
      expect(r.queueText()).toBe(before);
    }
    const result = await carry(r, decision, 'act');
    expect(result).toMatchObject({ action: 'scheduled', ids: ['s1'], slots: [{ id: 's1', at: RESET }] });
    const session = readQueue(r.root).queue.sessions[0];
    // Tied to the reset it was taken from: its time follows that reset (reset-follow.ts).
    expect(session).toMatchObject({ status: 'scheduled', scheduledTime: RESET, scheduledReason: 'quota-reset', scheduledReset: RESET });
    expect(r.ran).toEqual([]);
  });

  it('a session scheduled for the weekly reset is tied to the weekly reset', async () => {
    const r = rig([{ name: 'Implementation', tokens: 65_000 }]);
    const weeklyReset = new Date(NOW + 3 * 24 * 3_600_000).toISOString();
    const decision = planNext({ queue: readQueue(r.root).queue, now: NOW, hours: null, quota: { ...quota(150_000), weekly: { usedPercent: 100, resetsAt: weeklyReset, exhausted: true } }, autoScheduleAtCritical: true });
    expect(await carry(r, decision, 'act')).toMatchObject({ action: 'scheduled', ids: ['s1'] });
    expect(readQueue(r.root).queue.sessions[0]).toMatchObject({ scheduledTime: weeklyReset, scheduledReason: 'weekly-reset', scheduledReset: weeklyReset });
  });
});

describe('carryOut: CRITICAL', () => {
  it('act and report schedule every ready session after the reset; print and what-if act on nothing', async () => {
    for (const mode of MODES) {
      const r = rig([{ name: 'One', tokens: 5_000 }, { name: 'Two', tokens: 5_000 }]);
      const decision = r.decide(4_000);
      expect(decision.automatic).toBe('critical');
      const before = r.queueText();
      const result = await carry(r, decision, mode);
      if (mode === 'act' || mode === 'report') {
        expect(result).toMatchObject({ action: 'auto-scheduled', ids: ['s1', 's2'] });
        expect(readQueue(r.root).queue.sessions.map((s) => [s.status, s.scheduledReason, s.scheduledReset])).toEqual([
          ['scheduled', 'auto-critical', RESET],
          ['scheduled', 'auto-critical', RESET],
        ]);
      } else {
        expect(result.action).toBe('none');
        expect(r.queueText()).toBe(before);
      }
      expect(r.ran).toEqual([]);
    }
  });

  it('autoScheduleAtCritical schedules once: a second run over the same quota finds nothing ready', () => {
    const r = rig([{ name: 'One', tokens: 5_000 }, { name: 'Two', tokens: 5_000 }]);
    const first = autoScheduleAtCritical(quota(4_000), true, r.env);
    expect(first?.result).toMatchObject({ action: 'auto-scheduled', ids: ['s1', 's2'] });
    expect(first?.decision.reason).toMatch(/CRITICAL/);
    const after = r.queueText();
    expect(autoScheduleAtCritical(quota(4_000), true, r.env)).toBeNull();
    expect(r.queueText()).toBe(after);
  });

  it('autoScheduleAtCritical does nothing with the setting off or below CRITICAL', () => {
    const r = rig([{ name: 'One', tokens: 5_000 }]);
    const before = r.queueText();
    expect(autoScheduleAtCritical(quota(4_000), false, r.env)).toBeNull();
    expect(autoScheduleAtCritical(quota(100_000), true, r.env)).toBeNull();
    expect(r.queueText()).toBe(before);
  });
});

describe('carryOut: nothing to do', () => {
  it('a none decision changes nothing in any mode', async () => {
    const r = rig([{ name: 'Too big for any window', tokens: 250_000 }]);
    const decision = r.decide(200_000);
    expect(decision.decision).toBe('none');
    const before = r.queueText();
    for (const mode of MODES) expect(await carry(r, decision, mode)).toMatchObject({ action: 'none', ids: [], start: null, preview: null, warnings: [] });
    expect(r.queueText()).toBe(before);
    expect(r.ran).toEqual([]);
  });
});
