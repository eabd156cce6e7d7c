// Hostile transcript, hook and queue text through the real `cco` (dist/, child processes, temp
// roots): what reaches the terminal or a file has every control made visible, with our own colours
// kept (FORCE_COLOR=1), the `/compact` line stays one line, the handoff's Markdown structure is
// ours alone, and the .ics export parses with ical.js and carries no raw control.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../fixtures/context/session.js';
import { ATTACK, ATTACK_LINES, HOSTILE_SESSION, TITLE_SHOWN, expectNoRawControls, hostileSession } from '../fixtures/hostile.js';
import { writeTranscript } from '../fixtures/make-transcript.js';
import { parseIcs } from '../fixtures/planner/ics.js';
import { CCO_BIN, REPO, runCco, type CliResult } from '../helpers/cli.js';

const dirs = tempDirs('cco-untrusted-');
afterEach(() => dirs.cleanup());

const COLOR = { FORCE_COLOR: '1', CLAUDE_CODE_SESSION_ID: undefined };
const RECORDER = path.join(REPO, 'test/fixtures/planner/record-launch.mjs');

function ok(result: CliResult): string {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** A root with the hostile session's transcript, and its SessionStart as the hook records it. */
function hostileRoot(): string {
  const root = dirs.make();
  const s = hostileSession();
  const transcript = writeTranscript(root, s.sessionId, s.lines, { cwd: '/tmp/project' });
  const payload = { hook_event_name: 'SessionStart', session_id: HOSTILE_SESSION, cwd: s.cwd, source: 'startup', agent_type: `agents/evil${ATTACK}.md`, transcript_path: transcript };
  ok(runCco(['hook', '--config-dir', root], { input: JSON.stringify(payload) }));
  return root;
}

/** The lines of a Markdown text that are outside fenced code blocks (CommonMark backtick fences), and whether every fence closed. */
function outsideFences(markdown: string): { lines: string[]; closed: boolean } {
  const lines: string[] = [];
  let fence: number | null = null;
  for (const line of markdown.split('\n')) {
    const run = /^ {0,3}(`{3,})/.exec(line)?.[1]?.length ?? null;
    if (fence === null) {
      if (run !== null) fence = run;
      else lines.push(line);
    } else if (run !== null && run >= fence && /^ {0,3}`+\s*$/.test(line)) {
      fence = null;
    }
  }
  return { lines, closed: fence === null };
}

describe('untrusted transcript text', () => {
  it('cco status shows cwd, agent and model with every control visible and keeps our colours', () => {
    const out = ok(runCco(['status', '--config-dir', hostileRoot()], { env: COLOR }));
    expect(out).toContain('\u001b[1m📊 Claude Code Session Status\u001b[22m');
    expect(out).toContain(`Working Dir:  project\\x1b[2J${TITLE_SHOWN}`);
    expect(out).toContain(`Agent:        evil\\x1b[2J${TITLE_SHOWN}`);
    expect(out).toContain(`claude-evil\\x1b[2J${TITLE_SHOWN}`);
    expectNoRawControls(out, 'cco status');
  });

  it('cco status --watch draws the same safe panel', async () => {
    const root = hostileRoot();
    const child = spawn(process.execPath, [CCO_BIN, 'status', '--watch', '--config-dir', root], { env: { ...process.env, FORCE_COLOR: '1', HOME: root, CLAUDE_CONFIG_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const drawn = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('COMBINED HEALTH')) resolve();
      });
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('exit', () => reject(new Error(`watch exited before drawing: ${err}`)));
    });
    try {
      await drawn;
    } finally {
      child.kill('SIGINT');
    }
    await new Promise((resolve) => child.once('close', resolve));
    expect(out).toContain(TITLE_SHOWN);
    expectNoRawControls(out, 'cco status --watch');
  }, 20_000);

  it('cco context shows cwd, branch and model made safe', () => {
    const out = ok(runCco(['context', '--config-dir', hostileRoot(), '--session', HOSTILE_SESSION], { env: COLOR }));
    expect(out).toContain(`main\\x1b[2J${TITLE_SHOWN}`);
    expectNoRawControls(out, 'cco context');
  });

  it('cco compact: the brief is safe and the /compact line is exactly one line, last', () => {
    const root = hostileRoot();
    const out = ok(runCco(['compact', '--config-dir', root, '--session', HOSTILE_SESSION], { env: COLOR }));
    expectNoRawControls(out, 'cco compact');
    const lines = out.trimEnd().split('\n');
    const last = lines.at(-1) ?? '';
    expect(last.startsWith('/compact Keep the objective "Fix the totals')).toBe(true);
    expect(last).toContain(TITLE_SHOWN);
    expect(last).toContain('the open todos: [pending] Open todo');
    expect(lines.filter((line) => line.startsWith('/compact')).length).toBe(1);
    expect(last.endsWith('re-read when needed.')).toBe(true);

    const brief = JSON.parse(ok(runCco(['compact', '--json', '--config-dir', root, '--session', HOSTILE_SESSION]))) as { command: string };
    expect(brief.command).toBe(last);
  });

  it('cco handoff writes a file whose Markdown structure and resume commands transcript text cannot forge', () => {
    const root = hostileRoot();
    const out = ok(runCco(['handoff', '--config-dir', root, '--session', HOSTILE_SESSION, '--now', '2026-03-02T12:00:00Z'], { env: COLOR }));
    expectNoRawControls(out, 'cco handoff');
    const file = out.split('\n')[0] ?? '';
    const markdown = fs.readFileSync(file, 'utf8');
    expectNoRawControls(markdown, 'handoff file');
    expect(markdown).toContain(TITLE_SHOWN);
    const { lines, closed } = outsideFences(markdown);
    expect(closed).toBe(true);
    expect(lines.filter((line) => /^ {0,3}#/.test(line))).toEqual([
      `# Handoff: continue session ${HOSTILE_SESSION}`,
      '## Objective',
      '## Files edited or written',
      '## Todo list',
      '## Recent decisions',
      '## Resume',
    ]);
    // Outside the fences, no line is transcript text except within a list item or a code span.
    expect(lines.some((line) => line.startsWith('curl'))).toBe(false);
  });
});

/** A root and a project directory (with a hostile name), the queue's one session hostile throughout. */
function hostileQueue(): { root: string; project: string; base: string[] } {
  const root = dirs.make();
  const project = path.join(dirs.make(), `proj${ATTACK_LINES}`);
  fs.mkdirSync(project);
  const launchLog = path.join(root, 'launch.json');
  fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ plan: 'pro', terminal: [process.execPath, RECORDER, launchLog, '{cwd}', '{command}'] }));
  const base = ['--config-dir', root];
  ok(runCco(['queue', 'add', ...base, '--name', 'Name \u202eevil\u009b31m', '--tokens', '10k', '--hours', '1', '--project', project, '--objective', `Objective${ATTACK_LINES}`, '--agent', `agent${ATTACK}`]));
  return { root, project, base };
}

describe('untrusted queue text', () => {
  it('cco queue show and list print names, projects and objectives made safe', () => {
    const { base } = hostileQueue();
    const show = ok(runCco(['queue', 'show', 's1', ...base], { env: COLOR }));
    expect(show).toContain(`Objective\\x1b[2J${TITLE_SHOWN}`);
    expect(show).toContain('Name \\u202eevil\\x9b31m');
    expectNoRawControls(show, 'cco queue show');
    const list = ok(runCco(['queue', 'list', ...base], { env: COLOR }));
    expect(list).toContain('Name \\u202eevil\\x9b31m');
    expectNoRawControls(list, 'cco queue list');
  });

  it('cco next --print shows the decision and the launch made safe; an error quoting them is one safe line', () => {
    const { project, base } = hostileQueue();
    const refused = runCco(['next', '--hours', '3', '--yes', '--print', ...base], { env: COLOR });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`/agent\\x1b[2J${TITLE_SHOWN}`);
    expect(refused.stderr.trimEnd().split('\n').length).toBe(1);
    expectNoRawControls(refused.stderr, 'cco next error');
    fs.writeFileSync(path.join(project, `agent${ATTACK}`), 'You are careful.\n');
    const out = ok(runCco(['next', '--hours', '3', '--yes', '--print', ...base], { env: COLOR }));
    expect(out).toContain('Would run');
    expect(out).toContain(TITLE_SHOWN);
    expectNoRawControls(out, 'cco next --print');
  });

  it('cco next --preview (the line /start-next-session pre-approves) shows queued names made safe', () => {
    const { base } = hostileQueue();
    const out = ok(runCco(['next', '--preview', ...base], { env: COLOR }));
    expect(out).toContain('Name \\u202eevil\\x9b31m');
    expectNoRawControls(out, 'cco next --preview');
  });

  it('cco calendar writes .ics text ical.js parses, with no raw control in SUMMARY, DESCRIPTION or LOCATION', () => {
    const { root, base } = hostileQueue();
    ok(runCco(['queue', 'edit', 's1', '--at', new Date(Date.now() + 86_400_000).toISOString(), ...base]));
    const report = ok(runCco(['calendar', ...base], { env: COLOR }));
    expectNoRawControls(report, 'cco calendar');
    const ics = fs.readFileSync(path.join(root, 'calendar', 'sessions.ics'), 'utf8');
    // Content lines end in CRLF; nothing else below 0x20 (RFC 5545 §3.3.11).
    expect(ics.replace(/\r\n/g, '').includes('\n')).toBe(false);
    expectNoRawControls(ics.replace(/\r\n/g, ''), 'sessions.ics');
    const [event] = parseIcs(ics).events;
    expect(event?.summary).toBe('Claude Session: Name \\u202eevil\\x9b31m');
    expect(event?.description).toContain(`• Objective\\x1b[2J${TITLE_SHOWN}`);
    expect(event?.description).toContain('\n## Resume\n');
    expect(event?.location).toContain(`proj\\x1b[2J${TITLE_SHOWN}`);
    expect(event?.location).not.toContain('\n');
    for (const value of [event?.summary, event?.description, event?.location]) expectNoRawControls(value ?? '', 'event text');
  });
});

describe('untrusted hook and status-line stdin', () => {
  it('the status line prints only our line (with its colours) for a hostile payload', () => {
    const root = dirs.make();
    const payload = {
      session_id: HOSTILE_SESSION,
      cwd: `/tmp/${ATTACK}`,
      session_name: `name${ATTACK_LINES}`,
      model: { id: `claude-evil${ATTACK}`, display_name: `Evil${ATTACK_LINES}` },
      workspace: { current_dir: `/tmp/${ATTACK}`, project_dir: `/tmp/${ATTACK}` },
      version: `2.1${ATTACK}`,
      context_window: { context_window_size: 200_000, used_percentage: 38 },
      rate_limits: { five_hour: { used_percentage: 42, resets_at: Math.floor(Date.now() / 1000) + 3600 } },
    };
    const out = ok(runCco(['statusline', '--config-dir', root], { input: JSON.stringify(payload), env: COLOR }));
    expect(out).toContain('\u001b[32m42%\u001b[39m of 5h');
    expectNoRawControls(out, 'cco statusline');
  });

  it('the SessionStart hook after a compaction prints a "where we are" block made safe', () => {
    const root = dirs.make();
    const s = hostileSession();
    const transcript = writeTranscript(root, s.sessionId, s.lines, { cwd: '/tmp/project' });
    const out = ok(runCco(['hook', '--config-dir', root], { input: JSON.stringify({ hook_event_name: 'SessionStart', session_id: HOSTILE_SESSION, source: 'compact', transcript_path: transcript }) }));
    expect(out).toContain('## Where we are');
    expect(out).toContain(`Files in progress: src/edit\\x1b[2J${TITLE_SHOWN}`);
    expectNoRawControls(out, 'SessionStart block');
  });

  it('the hook error log gets payload fields made safe', () => {
    const root = dirs.make();
    ok(runCco(['hook', '--config-dir', root], { input: JSON.stringify({ hook_event_name: `Evil${ATTACK_LINES}`, session_id: `s${ATTACK}` }) }));
    const log = fs.readFileSync(path.join(root, 'logs', 'cco-hook-errors.log'), 'utf8');
    expect(log).toContain(`unknown hook event "Evil\\x1b[2J${TITLE_SHOWN}`);
    expect(log.trimEnd().split('\n').length).toBe(1);
    expectNoRawControls(log, 'hook error log');

    // Where the log cannot be written, the message goes to stderr (Claude Code's verbose mode).
    const blocked = dirs.make();
    fs.writeFileSync(path.join(blocked, 'logs'), 'not a directory');
    const result = runCco(['hook', '--config-dir', blocked], { input: JSON.stringify({ hook_event_name: `Evil${ATTACK_LINES}`, session_id: `s${ATTACK}` }) });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`unknown hook event "Evil\\x1b[2J${TITLE_SHOWN}`);
    expect(result.stderr.trimEnd().split('\n').length).toBe(1);
    expectNoRawControls(result.stderr, 'hook stderr');
  });
});
