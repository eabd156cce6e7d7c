// The planner through the real CLI: `cco queue`, `cco next`, `cco calendar` as child processes
// on fixture roots whose transcripts give a known quota, the spec's three workflow examples,
// the exported .ics read back with ical.js, and two processes editing the queue at once.
// They run through the real `cco` binary once cco.ts dispatches the three commands; until then
// (or with CCO_PLANNER_SHIM=1) through helpers/planner-cli-child.mjs, the same run functions
// from dist/ with cco.ts's exit codes.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueuedSession, QueueSnapshot, SessionQueue } from '../../shared/queue-snapshot.js';
import { parseIcs } from '../fixtures/planner/ics.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { CCO_BIN, REPO, runCco, tempRoot, type CliResult } from '../helpers/cli.js';

const SHIM = path.join(REPO, 'test/integration/helpers/planner-cli-child.mjs');
const RECORDER = path.join(REPO, 'test/fixtures/planner/record-launch.mjs');
const EDIT_CHILD = path.join(REPO, 'test/integration/helpers/queue-edit-child.mjs');
/** Whether the real binary dispatches queue, next and calendar (rather than "not available yet"). */
function dispatched(): boolean {
  return ['queue', 'next', 'calendar'].every((command) => {
    const result = spawnSync(process.execPath, [CCO_BIN, command, '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return result.status === 0 && result.stdout.includes(`usage: cco ${command}`);
  });
}
const wired = dispatched();
const useShim = process.env.CCO_PLANNER_SHIM === '1' || !wired;

function cco(args: string[], opts: { env?: Record<string, string | undefined>; input?: string } = {}): CliResult {
  if (!useShim) return runCco(args, opts);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: '1', HOME: os.tmpdir(), CLAUDE_CONFIG_DIR: undefined, ...opts.env })) {
    if (value !== undefined) env[key] = value;
  }
  const result = spawnSync(process.execPath, [SHIM, ...args], { env, input: opts.input ?? '', cwd: REPO, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The 5-hour window in every fixture started 2.5 hours before the suite by the real clock: runs that
 * act (--yes, the interactive questions, the auto-schedule) use the real clock, since --now is a
 * what-if that changes nothing. NOW is the suite's start, for what-if runs and reports.
 */
const MINUTE = 60_000;
const T0 = Math.floor(Date.now() / 1000) * 1000;
const iso = (ms: number): string => new Date(ms).toISOString();
const WINDOW_START = iso(T0 - 150 * MINUTE);
const RESET = iso(T0 + 150 * MINUTE);
const NOW = iso(T0);
const AFTER_RESET = iso(T0 + 151 * MINUTE);
const TOMORROW = iso(T0 + 18 * 60 * MINUTE);

interface Fixture {
  root: string;
  project: string;
  launchLog: string;
  base: string[];
}

/** A config root whose window has `used` tokens counted (pro plan: 200,000), and a project dir. */
function fixture(used: number): Fixture {
  const root = tempRoot('cco-planner-');
  const project = tempRoot('cco-project-');
  cleanup.push(root, project);
  if (used > 0) {
    writeTranscript(root, 'session-used', [assistantLine({ messageId: 'msg_used', timestamp: WINDOW_START, input: used - 2_000, output: 2_000 })]);
  }
  // The "terminal" is a recorder: it writes the argv it got, so nothing real is launched.
  const launchLog = path.join(root, 'launch.json');
  fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ plan: 'pro', terminal: [process.execPath, RECORDER, launchLog, '{cwd}', '{command}'] }));
  return { root, project, launchLog, base: ['--config-dir', root] };
}

function ok(result: CliResult): string {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

function json<T>(result: CliResult): T {
  return JSON.parse(ok(result)) as T;
}

function add(f: Fixture, name: string, tokens: string, hours: string, ...extra: string[]): string {
  return ok(cco(['queue', 'add', ...f.base, '--project', f.project, '--name', name, '--tokens', tokens, '--hours', hours, ...extra])).trim();
}

function queueFile(f: Fixture): SessionQueue {
  return JSON.parse(fs.readFileSync(path.join(f.root, 'session-queue.json'), 'utf8')) as SessionQueue;
}

async function waitForFile(file: string, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return fs.readFileSync(file, 'utf8');
}

interface Decision {
  decision: 'start' | 'smaller' | 'schedule' | 'none';
  reason: string;
  session: QueuedSession | null;
  options: { session: QueuedSession; reason: string }[];
  scheduledFor: string | null;
  slots: { id: string; at: string }[];
  automatic: 'critical' | null;
  quota: { remaining: number; limit: number; resetTime: string | null; level: string };
  queue: QueueSnapshot;
  launch: { claude: string[]; cwd: string; sessionId: string; started: boolean } | null;
  carriedOut: { action: string; ids: string[] };
}

const OBJECTIVES = ['Build API integration layer', 'Handle "quotes", commas, semicolons; $(rm -rf ~) `id` & | > <', 'Add validation logic'];

describe('cco queue', () => {
  it('adds, lists, shows, edits, finishes, skips and removes sessions', () => {
    const f = fixture(0);
    expect(add(f, 'Planning', '20k', '1')).toBe('s1');
    expect(add(f, 'Implementation - Part 1/3', '65,000', '3', '--after', 's1', ...OBJECTIVES.flatMap((o) => ['--objective', o]))).toBe('s2');
    expect(add(f, 'Polish', '18k', '90m', '--agent', '.claude/agents/polish.md')).toBe('s3');

    const list = json<QueueSnapshot & { sessions: QueuedSession[] }>(cco(['queue', 'list', '--json', ...f.base]));
    expect(list.summary).toEqual({ total: 3, done: 0, ready: 2, scheduled: 0, inProgress: 0, skipped: 0, blocked: 1 });
    expect(list.sessions[1]).toMatchObject({ estimatedTokens: 65_000, estimatedHours: 3, dependencies: ['s1'], objectives: OBJECTIVES, project: f.project });
    expect(ok(cco(['queue', 'list', ...f.base]))).toContain('Session Queue: 0/3 complete · Ready: 2 · Scheduled: 0 · Waiting: 1');

    const shown = json<{ session: QueuedSession; waitingFor: string[] }>(cco(['queue', 'show', 's2', '--json', ...f.base]));
    expect(shown.waitingFor).toEqual(['s1']);
    expect(ok(cco(['queue', 'show', 'Implementation - Part 1/3', ...f.base]))).toContain('• Handle "quotes", commas, semicolons; $(rm -rf ~) `id` & | > <');

    ok(cco(['queue', 'edit', 's3', '--tokens', '15k', '--add-objective', 'Fix typos', '--at', TOMORROW, ...f.base]));
    expect(queueFile(f).sessions[2]).toMatchObject({ estimatedTokens: 15_000, objectives: ['Fix typos'], status: 'scheduled', scheduledTime: TOMORROW, scheduledReason: 'user' });

    expect(ok(cco(['queue', 'done', 's1', '--now', NOW, ...f.base]))).toContain('Session Queue: 1/3 complete · Ready: 1 · Scheduled: 1');
    ok(cco(['queue', 'skip', 'polish', ...f.base]));
    const removed = cco(['queue', 'rm', 's1', ...f.base]);
    expect(removed.code).toBe(2);
    expect(removed.stderr).toContain('s2 ("Implementation - Part 1/3") depends on s1; use --force');
    ok(cco(['queue', 'rm', 's1', '--force', ...f.base]));
    expect(queueFile(f).sessions.map((s) => [s.id, s.status, s.dependencies])).toEqual([
      ['s2', 'ready', []],
      ['s3', 'skipped', []],
    ]);
  });

  it('refuses bad estimates, cycles, unknown ids and missing projects with one line each, writing nothing', () => {
    const f = fixture(0);
    add(f, 'A', '1k', '1');
    add(f, 'B', '1k', '1', '--after', 's1');
    const before = fs.readFileSync(path.join(f.root, 'session-queue.json'), 'utf8');
    const cases: [string[], string][] = [
      [['queue', 'add', '--name', 'X', '--tokens', '0', '--hours', '1'], '--tokens must be a whole number of tokens from 1 to 10,000,000 (like 65000, 65k or 1.5M); got 0'],
      [['queue', 'add', '--name', 'X', '--tokens', '-5', '--hours', '1'], '--tokens must be a whole number of tokens from 1 to 10,000,000 (like 65000, 65k or 1.5M); got -5'],
      [['queue', 'add', '--name', 'X', '--tokens', '50M', '--hours', '1'], '--tokens must be a whole number of tokens from 1 to 10,000,000 (like 65000, 65k or 1.5M); got 50M'],
      [['queue', 'add', '--name', 'X', '--tokens', '1k', '--hours', '-2'], '--hours must be from 5 minutes to 24 hours (like 3, 1.5, 90m or 2h30m); got -2'],
      [['queue', 'edit', 's1', '--hours', '72'], '--hours must be from 5 minutes to 24 hours (like 3, 1.5, 90m or 2h30m); got 72'],
      [['queue', 'add', '--name', 'X', '--tokens', '1k', '--hours', '1', '--after', 's9'], 'no session "s9" in the queue'],
      [['queue', 'add', '--name', 'X', '--tokens', '1k', '--hours', '1', '--project', '/nonexistent/dir'], 'project directory /nonexistent/dir does not exist'],
      [['queue', 'edit', 's1', '--after', 's2'], 'dependency cycle: s1 → s2 → s1 ("A" → "B" → "A")'],
      [['queue', 'edit', 's1', '--after', 's1'], 's1 ("A") cannot depend on itself'],
      [['queue', 'done', 's7'], 'no session "s7" in the queue'],
    ];
    for (const [args, message] of cases) {
      const result = cco([...args, ...f.base, ...(args[1] === 'add' && !args.includes('--project') ? ['--project', f.project] : [])]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
    expect(fs.readFileSync(path.join(f.root, 'session-queue.json'), 'utf8')).toBe(before);
  });

  it('moves a session-queue.json that is not JSON aside and says so', () => {
    const f = fixture(0);
    const file = path.join(f.root, 'session-queue.json');
    fs.writeFileSync(file, '{"sessions": [{"id": "s1", "name": "A"');
    const result = cco(['queue', 'list', ...f.base]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^cco: warning: .*session-queue\.json was corrupt \(.*JSON.*\); moved aside to .*session-queue\.json\.corrupt-/);
    expect(result.stdout).toContain('The queue is empty');
    expect(fs.readdirSync(f.root).filter((name) => name.startsWith('session-queue.json.corrupt-'))).toHaveLength(1);
    // The next command starts fresh without complaint.
    expect(add(f, 'Fresh', '1k', '1')).toBe('s1');
  });

  it('keeps the valid entries of a queue with one bad entry and reports that one on stderr, one line', () => {
    const f = fixture(0);
    const file = path.join(f.root, 'session-queue.json');
    const content = fs.readFileSync(path.join(REPO, 'test/fixtures/files/queue-one-bad-entry.json'), 'utf8');
    fs.writeFileSync(file, content);
    const listed = cco(['queue', 'list', '--json', ...f.base]);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as SessionQueue).sessions.map((s) => s.id)).toEqual(['s1', 's3']);
    expect(listed.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^cco: warning: .*session-queue\.json: sessions\[1\] \(s2\): estimated tokens must be more than 0, got -3; left out$/)]);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(fs.readdirSync(f.root).filter((name) => name.includes('corrupt'))).toEqual([]);
    const status = cco(['status', '--json', ...f.base]);
    expect((JSON.parse(status.stdout) as { diagnostics: { warnings: string[] } }).diagnostics.warnings).toContainEqual(expect.stringMatching(/sessions\[1\] \(s2\).*left out/));
    // A change keeps the valid entries, and the file as it was beside it for the user to mend.
    const added = cco(['queue', 'add', ...f.base, '--project', f.project, '--name', 'Next', '--tokens', '1k', '--hours', '1']);
    expect(added.code).toBe(0);
    expect(added.stdout.trim()).toBe('s4');
    expect(queueFile(f).sessions.map((s) => s.id)).toEqual(['s1', 's3', 's4']);
    const copies = fs.readdirSync(f.root).filter((name) => name.startsWith('session-queue.json.invalid-'));
    expect(copies).toHaveLength(1);
    expect(fs.readFileSync(path.join(f.root, copies[0] as string), 'utf8')).toBe(content);
  });

  it('refuses a queue written by a newer cco (version 2): one line naming the version, and the file is left as it is', () => {
    const f = fixture(0);
    const file = path.join(f.root, 'session-queue.json');
    const content = fs.readFileSync(path.join(REPO, 'test/fixtures/files/queue-version-2.json'), 'utf8');
    fs.writeFileSync(file, content);
    for (const args of [['queue', 'list'], ['queue', 'add', '--project', f.project, '--name', 'X', '--tokens', '1k', '--hours', '1']]) {
      const result = cco([...args, ...f.base]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^cco: session-queue\.json is version 2, written by a newer cco; this cco reads version 1: update cco \(the file is left as it is\)\n$/);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(fs.readdirSync(f.root).filter((name) => name.startsWith('session-queue.json.'))).toEqual([]);
  });

  it('imports a markdown plan at once, or nothing when it is wrong', () => {
    const f = fixture(0);
    const plan = path.join(f.project, 'PLAN.md');
    fs.writeFileSync(plan, ['# Plan', '## Planning', '- Outline', 'tokens: 20k', 'hours: 1', '## Build', '- Build "it"; fast, $(now)', 'tokens: 65k', 'hours: 3', 'after: Planning', ''].join('\n'));
    const imported = json<{ imported: number; sessions: QueuedSession[] }>(cco(['queue', 'import', plan, '--json', '--project', f.project, ...f.base]));
    expect(imported.imported).toBe(2);
    expect(imported.sessions.map((s) => [s.id, s.name, s.dependencies, s.objectives])).toEqual([
      ['s1', 'Planning', [], ['Outline']],
      ['s2', 'Build', ['s1'], ['Build "it"; fast, $(now)']],
    ]);
    fs.writeFileSync(plan, ['## C', 'tokens: 1k', 'hours: 1', 'after: D', '## D', 'tokens: 1k', 'hours: 1', 'after: C'].join('\n'));
    const cycle = cco(['queue', 'import', plan, '--project', f.project, ...f.base]);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toContain('dependency cycle: s3 → s4 → s3 ("C" → "D" → "C")');
    expect(queueFile(f).sessions).toHaveLength(2);
  });

  it('keeps all 400 edits of two processes editing at the same moment', async () => {
    const f = fixture(0);
    const startAt = Date.now() + 400;
    const run = (id: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [EDIT_CHILD, f.root, id, '200', String(startAt), f.project], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([run('app'), run('cli')]);
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    const queue = queueFile(f);
    expect(queue.sessions).toHaveLength(400);
    expect(new Set(queue.sessions.map((s) => s.id)).size).toBe(400);
    expect(queue.sessions.map((s) => s.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    for (const id of ['app', 'cli']) {
      const mine = queue.sessions.filter((s) => s.name.startsWith(`${id}-`));
      expect(mine.map((s) => s.name)).toEqual(Array.from({ length: 200 }, (_, i) => `${id}-${i}`));
      // Every re-estimate of the previous session landed: no write was based on a stale read.
      expect(mine.slice(0, -1).every((s) => s.estimatedTokens === 1001)).toBe(true);
    }
    expect(fs.readdirSync(f.root).filter((name) => name.startsWith('session-queue.json')).sort()).toEqual(['session-queue.json']);
  });
});

describe('the spec workflow examples through cco next --json and cco calendar', () => {
  it('Example 1: full quota → start, and --yes launches claude with the objectives', async () => {
    const f = fixture(0);
    add(f, 'Implementation', '65k', '3', ...OBJECTIVES.flatMap((o) => ['--objective', o]), '--agent', 'agents/impl.md');
    fs.mkdirSync(path.join(f.project, 'agents'));
    fs.writeFileSync(path.join(f.project, 'agents/impl.md'), 'You implement.');
    const args = ['next', '--hours', '4', '--json', '--now', NOW, ...f.base];

    const decision = json<Decision>(cco(args));
    expect(decision).toMatchObject({ decision: 'start', session: { id: 's1', name: 'Implementation', estimatedTokens: 65_000 }, quota: { remaining: 200_000, limit: 200_000 }, carriedOut: { action: 'none' } });
    expect(decision.launch?.started).toBe(false);
    expect(fs.existsSync(f.launchLog)).toBe(false);

    const started = json<Decision>(cco([...args.filter((arg) => arg !== '--now' && arg !== NOW), '--yes']));
    expect(started.carriedOut).toEqual({ action: 'started', ids: ['s1'] });
    const recorded = JSON.parse(await waitForFile(f.launchLog)) as { argv: string[]; cwd: string };
    const sessionId = started.launch?.sessionId ?? '';
    expect(sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(recorded.cwd).toBe(f.project);
    expect(recorded.argv.slice(0, 8)).toEqual([f.project, 'claude', '--session-id', sessionId, '-n', 's1 Implementation', '--append-system-prompt-file', path.join(f.project, 'agents/impl.md')]);
    for (const objective of OBJECTIVES) expect(recorded.argv[8]).toContain(`- ${objective}`);
    expect(queueFile(f).sessions[0]).toMatchObject({ status: 'in-progress', claudeSessionId: sessionId });
    expect(Date.parse(queueFile(f).sessions[0]?.startedAt ?? '')).toBeGreaterThanOrEqual(T0);
    expect(started.queue.summary.inProgress).toBe(1);
  });

  it('Example 2: low quota → schedule for the reset, export the calendar, start once it reset', async () => {
    const f = fixture(182_000);
    add(f, 'Implementation - Part 1/3', '65k', '3', ...OBJECTIVES.flatMap((o) => ['--objective', o]));
    add(f, 'Testing', '30k', '2');

    const decision = json<Decision>(cco(['next', '--hours', '3', '--json', '--now', NOW, ...f.base]));
    expect(decision).toMatchObject({ decision: 'schedule', scheduledFor: RESET, quota: { remaining: 18_000, resetTime: RESET }, automatic: null });
    expect(decision.reason).toContain('Quota insufficient (needs 65,000 tokens, have 18,000)');
    const text = ok(cco(['next', '--hours', '3', '--now', NOW, ...f.base]));
    expect(text).toContain('⏰ Scheduling for');
    expect(text).toContain('(needs 65,000, have 18,000)');

    const scheduled = json<Decision>(cco(['next', '--hours', '3', '--json', '--yes', ...f.base]));
    expect(scheduled.carriedOut).toEqual({ action: 'scheduled', ids: ['s1'] });
    expect(queueFile(f).sessions[0]).toMatchObject({ status: 'scheduled', scheduledTime: RESET, scheduledReason: 'quota-reset' });

    const exported = json<{ dir: string; allFile: string; events: { id: string; file: string; state: string }[] }>(cco(['calendar', '--json', '--now', NOW, ...f.base]));
    expect(exported.dir).toBe(path.join(f.root, 'calendar'));
    expect(exported.events).toEqual([{ id: 's1', name: 'Implementation - Part 1/3', state: 'confirmed', start: RESET, file: path.join(f.root, 'calendar', 'session-1.ics') }]);
    const ics = fs.readFileSync(path.join(f.root, 'calendar', 'session-1.ics'), 'utf8');
    const [event] = parseIcs(ics).events;
    expect(event).toMatchObject({ summary: 'Claude Session: Implementation - Part 1/3', location: f.project, start: RESET, durationSeconds: 3 * 3600, status: 'CONFIRMED' });
    expect(event?.alarms.map((alarm) => alarm.triggerSeconds)).toEqual([-1800, -300]);
    for (const objective of OBJECTIVES) expect(event?.description).toContain(`• ${objective}`);
    expect(event?.description).toContain('Token budget: 65,000 tokens');
    expect(parseIcs(fs.readFileSync(exported.allFile, 'utf8')).events.map((e) => e.uid)).toEqual([event?.uid]);

    // Exporting again, from machines in other zones: the same bytes (UTC times, stable UIDs).
    for (const TZ of ['America/New_York', 'Asia/Kolkata', 'Europe/Paris']) {
      ok(cco(['calendar', '--now', NOW, ...f.base], { env: { TZ } }));
      expect(fs.readFileSync(path.join(f.root, 'calendar', 'session-1.ics'), 'utf8')).toBe(ics);
    }
    const report = ok(cco(['calendar', '--now', NOW, ...f.base]));
    expect(report).toContain('✓ Implementation - Part 1/3 → ');
    expect(report).toContain('30 minutes before session');
    expect(report).toContain('In 2h 30m');

    // "Come back and run /start-next-session: automatically starts scheduled session."
    const due = json<Decision>(cco(['next', '--hours', '3', '--json', '--now', AFTER_RESET, ...f.base]));
    expect(due).toMatchObject({ decision: 'start', session: { id: 's1', status: 'scheduled' }, quota: { remaining: 200_000 } });
    expect(due.queue.due.map((item) => item.id)).toEqual(['s1']);
    // A what-if: the real queue is as it was (starting it waits for the real reset).
    expect(queueFile(f).sessions[0]?.status).toBe('scheduled');
    expect(fs.existsSync(f.launchLog)).toBe(false);
  });

  it('Example 3: low quota → the smaller sessions that fit; --yes starts the first', async () => {
    const f = fixture(175_000);
    add(f, 'Implementation', '65k', '3');
    add(f, 'Polish', '18k', '2', '--objective', 'Polish the README');
    add(f, 'Documentation', '22k', '1.5');
    add(f, 'Refactor', '40k', '1');

    const decision = json<Decision>(cco(['next', '--json', '--now', NOW, ...f.base]));
    expect(decision.decision).toBe('smaller');
    expect(decision.quota.remaining).toBe(25_000);
    expect(decision.options.map((option) => [option.session.name, option.session.estimatedTokens])).toEqual([
      ['Polish', 18_000],
      ['Documentation', 22_000],
    ]);
    expect(decision.launch?.claude.at(-1)).toContain('Polish the README');
    expect(ok(cco(['next', '--now', NOW, ...f.base]))).toContain('1. Polish (2h, 18,000 tokens) [s2]');

    const started = json<Decision>(cco(['next', '--json', '--yes', ...f.base]));
    expect(started.carriedOut).toEqual({ action: 'started', ids: ['s2'] });
    const recorded = JSON.parse(await waitForFile(f.launchLog)) as { argv: string[] };
    expect(recorded.argv).toContain('s2 Polish');
    expect(queueFile(f).sessions.map((s) => s.status)).toEqual(['ready', 'in-progress', 'ready', 'ready']);
  });
});

describe('cco next', () => {
  it('auto-schedules every ready session at CRITICAL without --yes, and says so', () => {
    const f = fixture(192_000);
    add(f, 'A', '120k', '2');
    add(f, 'B', '60k', '1');
    const decision = json<Decision>(cco(['next', '--hours', '3', '--json', '--now', NOW, ...f.base]));
    expect(decision).toMatchObject({ decision: 'schedule', automatic: 'critical', quota: { level: 'critical' }, carriedOut: { action: 'none' } });
    expect(decision.slots).toEqual([
      { id: 's1', at: RESET },
      { id: 's2', at: iso(Date.parse(RESET) + 120 * MINUTE) },
    ]);
    expect(queueFile(f).sessions.map((s) => s.status)).toEqual(['ready', 'ready']);
    const text = ok(cco(['next', '--hours', '3', ...f.base]));
    expect(text).toContain('✅ 2 sessions scheduled automatically (setting autoScheduleAtCritical).');
    expect(queueFile(f).sessions.map((s) => [s.status, s.scheduledReason])).toEqual([
      ['scheduled', 'auto-critical'],
      ['scheduled', 'auto-critical'],
    ]);
    fs.writeFileSync(path.join(f.root, 'cco-settings.json'), JSON.stringify({ plan: 'pro', autoScheduleAtCritical: false }));
    add(f, 'C', '60k', '1');
    expect(json<Decision>(cco(['next', '--json', '--now', NOW, ...f.base]))).toMatchObject({ automatic: null, carriedOut: { action: 'none' } });
  });

  it('runs the interactive flows: hours, confirm, pick, schedule, calendar', async () => {
    const full = fixture(0);
    add(full, 'Implementation', '65k', '3');
    const one = cco(['next', '--interactive', ...full.base], { input: '4\ny\n' });
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('How many hours can you work? [1-5]: ');
    expect(one.stdout).toContain('✅ Starting: Implementation');
    expect(one.stdout).toContain('Start this session? (y/n): ');
    expect(one.stdout).toContain('🚀 Started s1 "Implementation"');
    await waitForFile(full.launchLog);

    const low = fixture(182_000);
    add(low, 'Implementation', '65k', '3');
    const two = cco(['next', '--interactive', ...low.base], { input: '3\ny\ny\n' });
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('Token Quota: 18,000 / 200,000 (9% available)');
    expect(two.stdout).toContain('Schedule this session for later? (y/n): ');
    expect(two.stdout).toContain('✅ Session scheduled!');
    expect(two.stdout).toContain('📅 Creating 1 calendar event...');
    expect(fs.existsSync(path.join(low.root, 'calendar', 'session-1.ics'))).toBe(true);

    const smaller = fixture(175_000);
    add(smaller, 'Implementation', '65k', '3');
    add(smaller, 'Polish', '18k', '2');
    add(smaller, 'Documentation', '22k', '1.5');
    const three = cco(['next', '--interactive', ...smaller.base], { input: '2\n2\n' });
    expect(three.code).toBe(0);
    expect(three.stdout).toContain('Found smaller sessions:\n   1. Polish (2h, 18,000 tokens) [s2]\n   2. Documentation (1.5h, 22,000 tokens) [s3]');
    expect(three.stdout).toContain('Start which session? (1-2, or 0 to cancel): ');
    expect(three.stdout).toContain('🚀 Started s3 "Documentation"');
  });

  it('answers the slash command form plainly, even with an empty queue', () => {
    const f = fixture(0);
    const empty = cco(['next', '3', '--now', NOW, ...f.base]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('The session queue is empty');
    const bad = cco(['next', 'lots', '--now', NOW, ...f.base]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('cco: the hours must be from 1 to 5 hours (like 3, 1.5 or 90m); got lots\n');
  });

  it('--print shows the launch and changes nothing; a vanished project is refused', () => {
    const f = fixture(0);
    add(f, 'Implementation', '65k', '3', '--objective', 'it\'s "done"; $(x)');
    const printed = json<Decision>(cco(['next', '--json', '--yes', '--print', ...f.base]));
    expect(printed.carriedOut.action).toBe('printed');
    expect(printed.launch?.claude.slice(0, 2)).toEqual(['claude', '--session-id']);
    const text = ok(cco(['queue', 'start', 's1', '--print', ...f.base]));
    expect(text).toContain(`Would run (in ${f.project}, terminal: custom):`);
    expect(text).toContain(`cd ${f.project} && claude --session-id `);
    expect(text).toContain(`- it'\\''s "done"; $(x)`);
    expect(queueFile(f).sessions[0]?.status).toBe('ready');
    expect(fs.existsSync(f.launchLog)).toBe(false);

    fs.rmSync(f.project, { recursive: true });
    const gone = cco(['queue', 'start', 's1', ...f.base]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`project directory ${f.project} of s1 no longer exists`);
    expect(queueFile(f).sessions[0]?.status).toBe('ready');
  });
});

describe('cco calendar', () => {
  it('writes an empty subscribable calendar when nothing is scheduled, and cancels what was unscheduled', () => {
    const f = fixture(0);
    const empty = ok(cco(['calendar', '--now', NOW, ...f.base]));
    expect(empty).toContain('No scheduled sessions to export.');
    expect(parseIcs(fs.readFileSync(path.join(f.root, 'calendar', 'sessions.ics'), 'utf8')).events).toEqual([]);

    add(f, 'A', '10k', '1');
    ok(cco(['queue', 'edit', 's1', '--at', '2026-01-07T09:00:00Z', ...f.base]));
    ok(cco(['calendar', '--now', NOW, ...f.base]));
    ok(cco(['queue', 'skip', 's1', ...f.base]));
    const cancelled = json<{ events: { id: string; state: string }[] }>(cco(['calendar', '--json', '--now', NOW, ...f.base]));
    expect(cancelled.events.map((e) => [e.id, e.state])).toEqual([['s1', 'cancelled']]);
    const [event] = parseIcs(fs.readFileSync(path.join(f.root, 'calendar', 'session-1.ics'), 'utf8')).events;
    expect(event?.status).toBe('CANCELLED');
  });
});

it.skipIf(!wired)('runs through the real cco binary (cco.ts dispatches queue, next, calendar)', () => {
  expect(useShim).toBe(process.env.CCO_PLANNER_SHIM === '1');
});
