/**
 * The IPC handlers over the real core actions and a real Engine on a fixture root: what the popover
 * and the tray do, end to end on real files (transcripts, the queue, handoffs, calendar files, the
 * settings file), with only the terminal launch and the system's "open" replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreActions, type AppCoreActions } from '../../main/app/core-actions.js';
import { createIpcHandlers, type IpcHandlers } from '../../main/app/ipc-handlers.js';
import { Engine } from '../../main/core/engine.js';
import type { LaunchCommand } from '../../main/core/planner/launcher.js';
import { addSession, readQueue, updateQueue } from '../../main/core/planner/queue.js';
import { loadAllSettings } from '../../main/core/settings.js';
import { DEFAULT_SESSION, assistantLine, toolUse, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const NOW = T0 + 60 * 60_000;
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

interface Rig {
  root: string;
  project: string;
  engine: Engine;
  actions: AppCoreActions;
  handlers: IpcHandlers;
  clipboard: string[];
  opened: string[];
  launched: LaunchCommand[];
}

/** A root with one session: a prompt, a Read, an Edit; 60,000 of pro's 200,000 counted tokens. */
async function rig(options: { queue?: { name: string; tokens: number; hours: number }[] } = {}): Promise<Rig> {
  const root = tempRoot('cco-app-actions-');
  const project = fs.mkdtempSync(path.join(root, 'project-'));
  writeTranscript(root, DEFAULT_SESSION, [
    userLine({ timestamp: at(0), text: 'Add pagination to the invoices endpoint', cwd: project }),
    assistantLine({ messageId: 'msg_1', timestamp: at(1), input: 20_000, output: 5_000, cacheRead: 30_000, cwd: project, content: [toolUse('Read', 'tu_1', { file_path: `${project}/src/invoices.ts` })] }),
    userLine({ timestamp: at(2), toolResultFor: 'tu_1', text: 'export function list() {}\n'.repeat(200), cwd: project }),
    assistantLine({ messageId: 'msg_2', timestamp: at(3), input: 25_000, output: 10_000, cacheRead: 40_000, cwd: project, content: [toolUse('Edit', 'tu_2', { file_path: `${project}/src/invoices.ts`, old_string: 'a', new_string: 'b' })] }),
    userLine({ timestamp: at(4), toolResultFor: 'tu_2', text: 'ok', cwd: project }),
  ], { cwd: project });
  for (const entry of options.queue ?? []) {
    updateQueue(root, NOW, (queue) => addSession(queue, { name: entry.name, project, estimatedTokens: entry.tokens, estimatedHours: entry.hours }, NOW));
  }
  const engine = new Engine({ roots: [root], loadSettings: () => loadAllSettings(root), clock: () => NOW, persist: false, debounceMs: 20 });
  engines.push(engine);
  await engine.start();
  const clipboard: string[] = [];
  const opened: string[] = [];
  const launched: LaunchCommand[] = [];
  const actions = createCoreActions({
    roots: [root],
    engine,
    now: () => NOW,
    clipboard: { writeText: (text) => clipboard.push(text) },
    openPath: async (file) => {
      opened.push(file);
      return '';
    },
    launch: {
      platform: 'linux',
      env: {},
      which: (command) => (command === 'x-terminal-emulator' || command === 'claude' ? `/usr/bin/${command}` : null),
      run: async (command) => {
        launched.push(command);
        return 0;
      },
    },
  });
  return { root, project, engine, actions, handlers: createIpcHandlers(actions), clipboard, opened, launched };
}

describe('IPC handlers over the real engine and core', () => {
  it('getSnapshot: the engine figures (60,000 of 200,000 = 30%)', async () => {
    const { handlers } = await rig();
    const snapshot = await handlers.getSnapshot(undefined);
    expect(snapshot.quota.currentWindow?.tokensUsed).toBe(60_000);
    expect(snapshot.quota.percentUsed).toBe(30);
  });

  it('copyCompactCommand: the real brief, and the /compact line on the clipboard', async () => {
    const { handlers, clipboard, project } = await rig();
    const result = await handlers.copyCompactCommand(undefined);
    expect(result.command).toMatch(/^\/compact /);
    expect(clipboard).toEqual([result.command]);
    expect(result.brief).toContain('Compaction brief');
    expect(result.brief).toContain('Add pagination to the invoices endpoint');
    expect(result.brief).toContain('src/invoices.ts');
    expect(result.brief.endsWith(result.command)).toBe(true);
    expect(project).toBeTruthy();
    await expect(handlers.copyCompactCommand({ sessionId: 'nope-nope-nope' })).rejects.toThrow(/no session "nope-nope-nope" found/);
  });

  it('writeHandoff: a markdown handoff under <root>/handoffs, which openPath then opens', async () => {
    const { handlers, root, opened } = await rig();
    const { path: file } = await handlers.writeHandoff({ sessionId: DEFAULT_SESSION });
    expect(path.dirname(file)).toBe(path.join(root, 'handoffs'));
    expect(path.basename(file)).toMatch(new RegExp(`^${DEFAULT_SESSION}-2026-03-02T10-00-00Z\\.md$`));
    expect(fs.readFileSync(file, 'utf8')).toContain('Add pagination to the invoices endpoint');
    await expect(handlers.openPath({ path: file })).resolves.toEqual({ opened: true });
    expect(opened).toEqual([fs.realpathSync(file)]);
  });

  it('openPath refuses anything the optimizer did not make, symlinks out included', async () => {
    const { handlers, root, opened } = await rig();
    await expect(handlers.openPath({ path: path.join(root, 'cco-settings.json') })).rejects.toThrow(/no such file/);
    fs.writeFileSync(path.join(root, 'cco-settings.json'), '{}');
    await expect(handlers.openPath({ path: path.join(root, 'cco-settings.json') })).rejects.toThrow(/only files the optimizer made/);
    fs.mkdirSync(path.join(root, 'handoffs'));
    fs.symlinkSync('/etc/hostname', path.join(root, 'handoffs', 'sneaky.md'));
    await expect(handlers.openPath({ path: path.join(root, 'handoffs', 'sneaky.md') })).rejects.toThrow(/only files the optimizer made/);
    await expect(handlers.openPath({ path: path.join(root, 'handoffs', '..', 'cco-settings.json') })).rejects.toThrow(/only files the optimizer made/);
    expect(opened).toEqual([]);
  });

  it('planNext decides without acting; carryOutNext starts the session in a terminal', async () => {
    const { handlers, root, launched, project } = await rig({ queue: [{ name: 'Pagination', tokens: 50_000, hours: 1.5 }, { name: 'Docs', tokens: 20_000, hours: 1 }] });
    const plan = await handlers.planNext({ hours: 2 });
    expect(plan).toMatchObject({ decision: 'start', sessions: [{ id: 's1', name: 'Pagination', estimatedTokens: 50_000, estimatedHours: 1.5 }], scheduledFor: null });
    expect(readQueue(root).queue.sessions.map((s) => s.status)).toEqual(['ready', 'ready']);
    const done = await handlers.carryOutNext({ hours: 2 });
    expect(done.reason).toMatch(/Started s1 "Pagination" in x-terminal-emulator/);
    expect(launched).toHaveLength(1);
    expect(launched[0]?.cwd).toBe(project);
    expect(readQueue(root).queue.sessions.map((s) => s.status)).toEqual(['in-progress', 'ready']);
  });

  it('carryOutNext schedules for the reset when nothing fits; exportCalendar writes the .ics files', async () => {
    const { handlers, root } = await rig({ queue: [{ name: 'Big refactor', tokens: 180_000, hours: 3 }] });
    const decision = await handlers.carryOutNext({ hours: 4 });
    expect(decision).toMatchObject({ decision: 'schedule', sessions: [{ id: 's1' }], scheduledFor: '2026-03-02T14:01:00.000Z' });
    expect(readQueue(root).queue.sessions[0]).toMatchObject({ status: 'scheduled', scheduledTime: '2026-03-02T14:01:00.000Z', scheduledReason: 'quota-reset' });
    const exported = await handlers.exportCalendar(undefined);
    expect(exported.dir).toBe(path.join(root, 'calendar'));
    expect(exported.events).toBe(1);
    expect(exported.files.map((file) => path.basename(file))).toEqual(['sessions.ics', 'session-1.ics']);
    const ics = fs.readFileSync(path.join(root, 'calendar', 'session-1.ics'), 'utf8');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('Big refactor');
  });

  it('scheduleAtReset (tray, notification button): the next ready session goes to the reset', async () => {
    const { actions, root } = await rig({ queue: [{ name: 'Docs', tokens: 20_000, hours: 1 }] });
    const view = await actions.scheduleAtReset();
    expect(view).toMatchObject({ decision: 'schedule', scheduledFor: '2026-03-02T14:01:00.000Z', sessions: [{ id: 's1', name: 'Docs' }] });
    expect(readQueue(root).queue.sessions[0]?.status).toBe('scheduled');
    const empty = await (await rig()).actions.scheduleAtReset();
    expect(empty.decision).toBe('nothing');
    expect(empty.reason).toMatch(/queue is empty/);
  });

  it('startQueued: a queue problem is an answer, not a crash', async () => {
    const { handlers } = await rig({ queue: [{ name: 'Docs', tokens: 20_000, hours: 1 }] });
    await expect(handlers.startQueued({ id: 's9' })).resolves.toMatchObject({ started: false, message: expect.stringMatching(/s9/) as unknown });
    await expect(handlers.startQueued({ id: 's1' })).resolves.toMatchObject({ started: true });
    await expect(handlers.startQueued({ id: 's1' })).resolves.toMatchObject({ started: false, message: expect.stringMatching(/already in progress/) as unknown });
  });

  it('settings: read and written in <root>/cco-settings.json; the engine follows a CLI key', async () => {
    const { handlers, engine, root } = await rig();
    expect(await handlers.getSettings(undefined)).toMatchObject({ plan: 'pro', hyperaware: false, notifyQuota: true, launchAtLogin: false });
    const changed = new Promise<void>((resolve) => {
      engine.on('snapshot', (snapshot) => {
        if (snapshot.plan.name === 'max5') resolve();
      });
    });
    await expect(handlers.setSetting({ key: 'plan', value: 'max5' })).resolves.toMatchObject({ plan: 'max5' });
    await expect(handlers.setSetting({ key: 'notifyContext', value: 'off' })).resolves.toMatchObject({ notifyContext: false });
    await changed;
    expect(JSON.parse(fs.readFileSync(path.join(root, 'cco-settings.json'), 'utf8'))).toEqual({ plan: 'max5', notifyContext: false });
    await expect(handlers.setSetting({ key: 'plan', value: 'gold' })).rejects.toThrow(/unknown plan "gold"/);
  });
});
