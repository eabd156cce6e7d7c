// What `cco install`'s slash commands pre-approve, through the real CLI: each file grants exactly
// the one line its `!` runs; that line, run by a real shell as Claude Code runs it, changes no
// setting, launches nothing and leaves the queue alone, even at CRITICAL; and a re-install over an
// older install (the `:*` prefix grants) replaces those files.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { CCO_BIN, REPO, runCco, tempRoot } from '../helpers/cli.js';

const COMMAND_FILES = ['session-status.md', 'context-status.md', 'compact-context.md', 'save-and-restart.md', 'start-next-session.md', 'create-calendar-events.md'];
const USER_ONLY = ['save-and-restart.md', 'start-next-session.md', 'create-calendar-events.md'];
const RECORDER = path.join(REPO, 'test/fixtures/planner/record-launch.mjs');

interface CommandFile {
  file: string;
  content: string;
  front: string[];
  grant: string;
  bang: string;
}

function readCommand(root: string, file: string): CommandFile {
  const content = fs.readFileSync(path.join(root, 'commands', file), 'utf8');
  const front = (/^---\n([\s\S]*?)\n---\n/.exec(content)?.[1] ?? '').split('\n');
  const grant = front.find((line) => line.startsWith('allowed-tools: '))?.slice('allowed-tools: '.length) ?? '';
  const bang = /^!`([^`]+)`$/m.exec(content)?.[1] ?? '';
  return { file, content, front, grant, bang };
}

/** `Bash(...)`'s content as Claude Code reads it (`\\`, `\(`, `\)` unescaped). */
function ruleContent(grant: string): string {
  const yaml = grant.startsWith("'") ? grant.slice(1, -1).replace(/''/g, "'") : grant;
  const match = /^Bash\((.*)\)$/.exec(yaml);
  expect(match, grant).not.toBeNull();
  return (match?.[1] ?? '').replace(/\\([\\()])/g, '$1');
}

/** Every file under `dir` (relative path → content), without the ones `skip` names. */
function tree(dir: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name));
    if (!skip(rel)) out[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  }
  return out;
}

/**
 * A config root at CRITICAL (196k of pro's 200k used an hour ago) with two ready sessions, and a
 * "terminal" that records what it was asked to launch: the worst moment for a pre-approved line.
 */
function criticalRoot(): { root: string; launchLog: string } {
  const root = path.join(tempRoot('cco-preapproval-'), 'my claude (work)');
  const project = tempRoot('cco-project-');
  fs.mkdirSync(root);
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000).toISOString();
  writeTranscript(root, 'session-used', [assistantLine({ messageId: 'msg_used', timestamp: hourAgo, input: 194_000, output: 2_000 })]);
  const launchLog = path.join(root, 'launch.json');
  fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ plan: 'pro', terminal: [process.execPath, RECORDER, launchLog, '{cwd}', '{command}'] }));
  for (const [name, tokens] of [['A', '120k'], ['B', '60k']] as const) {
    const added = runCco(['queue', 'add', '--config-dir', root, '--project', project, '--name', name, '--tokens', tokens, '--hours', '1']);
    expect(added.stderr).toBe('');
  }
  return { root, launchLog };
}

/**
 * Runs a `!` line the way Claude Code does: the whole line through a shell, inside the session
 * that typed the command (Claude Code sets CLAUDE_CODE_SESSION_ID for it).
 */
function runBang(bang: string): { code: number; stdout: string; stderr: string } {
  const env = { ...process.env, NO_COLOR: '1', CLAUDE_CONFIG_DIR: '', CLAUDE_CODE_SESSION_ID: 'session-used' };
  const result = spawnSync('/bin/sh', ['-c', bang], { encoding: 'utf8', timeout: 20_000, env });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('slash commands pre-approve one read-only line each (real CLI)', () => {
  it('grants exactly the `!` line: no prefix rule, no $ARGUMENTS, and only the read-only views for the model', () => {
    const { root } = criticalRoot();
    const installed = runCco(['install', '--config-dir', root]);
    expect(installed.stderr).toBe('');
    expect(installed.code).toBe(0);
    const prefix = `"${process.execPath}" "${CCO_BIN}"`;
    for (const file of COMMAND_FILES) {
      const command = readCommand(root, file);
      expect(command.bang.startsWith(`${prefix} `), file).toBe(true);
      expect(ruleContent(command.grant), file).toBe(command.bang);
      expect(command.grant, file).not.toContain('*');
      expect(command.bang, file).not.toContain('$ARGUMENTS');
      expect(command.front.includes('disable-model-invocation: true'), file).toBe(USER_ONLY.includes(file));
      expect(command.front.filter((line) => line.startsWith('# ')), file).toHaveLength(2);
    }
    expect(readCommand(root, 'start-next-session.md').content).toContain('"$ARGUMENTS"');
  });

  it('each line, run by a shell, changes no setting, starts nothing and leaves the queue alone, even at CRITICAL', () => {
    const { root, launchLog } = criticalRoot();
    expect(runCco(['install', '--config-dir', root]).code).toBe(0);
    // What the lines may write: handoffs/ and calendar/ (their output), and cco status's caches.
    const own = (rel: string): boolean => /^(handoffs|calendar)\//.test(rel) || ['quota-tracker.json', 'session-tracker.json', 'usage-history.json'].includes(rel);
    const before = tree(root, own);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['cco-settings.json', 'settings.json', 'cco-integration.json', 'session-queue.json']));
    for (const file of COMMAND_FILES) {
      const result = runBang(readCommand(root, file).bang);
      expect(result.code, `${file}: ${result.stderr}`).toBe(0);
      expect(result.stdout, file).not.toBe('');
      expect(tree(root, own), file).toEqual(before);
    }
    expect(fs.existsSync(launchLog)).toBe(false);
    // The preview says what cco next would do, and that it did not.
    const preview = runBang(readCommand(root, 'start-next-session.md').bang).stdout;
    expect(preview).toContain('Preview: nothing was started, scheduled or written.');
    expect(preview).toMatch(/Running cco next without --preview schedules these/);
    const queue = JSON.parse(fs.readFileSync(path.join(root, 'session-queue.json'), 'utf8')) as { sessions: { status: string }[] };
    expect(queue.sessions.map((s) => s.status)).toEqual(['ready', 'ready']);
  });

  it('cco next --preview lists 1-5 hours and refuses the options that act', () => {
    const root = tempRoot('cco-preview-');
    const project = tempRoot('cco-project-');
    expect(runCco(['queue', 'add', '--config-dir', root, '--project', project, '--name', 'Long', '--tokens', '60k', '--hours', '3']).code).toBe(0);
    const before = tree(root);
    const shown = runCco(['next', '--preview', '--config-dir', root]);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    for (const hours of [1, 2, 3, 4, 5]) expect(shown.stdout).toMatch(new RegExp(`^ {3}${hours}h: `, 'm'));
    expect(shown.stdout).toMatch(/^ {3}3h: ✅ start "Long" \[s1\]/m);
    expect(tree(root)).toEqual(before);
    for (const extra of [['--yes'], ['3'], ['--hours', '2'], ['--interactive'], ['--json']]) {
      const refused = runCco(['next', '--preview', ...extra, '--config-dir', root]);
      expect(refused.code, extra.join(' ')).toBe(2);
      expect(refused.stderr.trimEnd().split('\n'), extra.join(' ')).toHaveLength(1);
      expect(refused.stderr).toMatch(/--preview shows every hour from 1 to 5 and acts on none/);
    }
    expect(tree(root)).toEqual(before);
  });

  it('a re-install replaces an older install\'s prefix-grant files, and warns about one it must keep', () => {
    const root = path.join(tempRoot('cco-upgrade-'), 'claude');
    fs.mkdirSync(root);
    expect(runCco(['install', '--config-dir', root]).code).toBe(0);
    // Turn it into what an older cco wrote: a `:*` grant over the CLI, `$ARGUMENTS` in the `!` line,
    // with the hashes recorded as that install recorded them.
    const prefix = `"${process.execPath}" "${CCO_BIN}"`;
    const statePath = path.join(root, 'cco-integration.json');
    const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as { commands: Record<string, string> };
    for (const file of COMMAND_FILES) {
      const full = path.join(root, 'commands', file);
      const old = fs
        .readFileSync(full, 'utf8')
        .replace(/^allowed-tools: .*$/m, `allowed-tools: Bash(${prefix}:*)`)
        .replace(/ --preview`$/m, ' $ARGUMENTS`');
      fs.writeFileSync(full, old);
      state.commands[file] = createHash('sha256').update(old).digest('hex');
    }
    // One of them the user edited since: not ours to overwrite, but worth a warning.
    fs.appendFileSync(path.join(root, 'commands', 'session-status.md'), 'my own note\n');
    fs.writeFileSync(statePath, JSON.stringify(state));

    const again = runCco(['install', '--config-dir', root]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/warning: commands\/session-status\.md pre-approves every cco command/);
    for (const file of COMMAND_FILES.filter((f) => f !== 'session-status.md')) {
      const command = readCommand(root, file);
      expect(command.grant, file).not.toContain(':*');
      expect(ruleContent(command.grant), file).toBe(command.bang);
      expect(command.bang, file).not.toContain('$ARGUMENTS');
    }
    expect(readCommand(root, 'session-status.md').content).toContain('my own note');
  });
});
