import { describe, expect, it } from 'vitest';
import {
  COMMAND_MARKER,
  SLASH_COMMANDS,
  planCommandFiles,
  planCommandRemoval,
  renderSlashCommands,
  sha256,
  yamlScalar,
} from '../../main/integration/commands.js';
import { unifiedDiff } from '../../main/integration/diff.js';
import { cliPrefix, splitShellWords, type CliTarget } from '../../main/integration/shell.js';

const TARGET: CliTarget = { nodePath: '/usr/bin/node', ccoBin: '/opt/cco/bin/cco.js', root: '/home/dana/.claude', platform: 'linux' };

/** The frontmatter as key → raw value, and the body, the way a simple reader splits them. */
function parse(content: string): { front: Record<string, string>; comments: string[]; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(content);
  if (!match) throw new Error('no frontmatter');
  const front: Record<string, string> = {};
  const comments: string[] = [];
  for (const line of (match[1] as string).split('\n')) {
    if (line.startsWith('#')) comments.push(line);
    else {
      const colon = line.indexOf(': ');
      front[line.slice(0, colon)] = line.slice(colon + 2);
    }
  }
  return { front, comments, body: match[2] as string };
}

describe('slash command files', () => {
  const rendered = renderSlashCommands(TARGET);
  const expected: Record<string, string[]> = {
    'session-status.md': ['status'],
    'context-status.md': ['context'],
    'compact-context.md': ['compact'],
    'save-and-restart.md': ['handoff'],
    'start-next-session.md': ['next', '$ARGUMENTS'],
    'create-calendar-events.md': ['calendar'],
  };

  it('are the six commands', () => {
    expect(rendered.map((r) => r.file)).toEqual(Object.keys(expected));
  });

  it.each(Object.entries(expected))('%s runs cco %s with --config-dir and pre-approves exactly our CLI', (file, words) => {
    const command = rendered.find((r) => r.file === file);
    expect(command).toBeDefined();
    const { front, comments, body } = parse(command?.content ?? '');
    expect(comments).toEqual([COMMAND_MARKER]);
    expect(front.description).toMatch(/\(Claude Code Optimizer\)$/);
    expect(front['allowed-tools']).toBe(`Bash(${cliPrefix(TARGET)}:*)`);
    const bang = /^!`([^`]+)`$/m.exec(body)?.[1] ?? '';
    expect(bang.startsWith(`${cliPrefix(TARGET)} `)).toBe(true);
    const [subcommand, ...rest] = words;
    expect(splitShellWords(bang)).toEqual([TARGET.nodePath, TARGET.ccoBin, subcommand, '--config-dir', TARGET.root, ...rest]);
    expect(body.split('\n').filter((l) => l.trim() !== '').length).toBeGreaterThan(1); // instructions follow
    expect(command?.sha256).toBe(sha256(command?.content ?? ''));
  });

  it('asks before acting in /start-next-session, and keeps state-changing commands for the user', () => {
    const next = rendered.find((r) => r.file === 'start-next-session.md')?.content ?? '';
    expect(next).toMatch(/ask the user/i);
    expect(parse(next).front['argument-hint']).toBe("'[hours available, e.g. 3]'");
    const userOnly = SLASH_COMMANDS.filter((s) => s.userOnly).map((s) => s.file);
    expect(userOnly).toEqual(['save-and-restart.md', 'start-next-session.md', 'create-calendar-events.md']);
    for (const r of rendered) expect(parse(r.content).front['disable-model-invocation'] === 'true').toBe(userOnly.includes(r.file));
  });

  it.each([
    ['Quota and context (cco)', 'Quota and context (cco)'],
    ['[hint]', "'[hint]'"],
    ['a: b', "'a: b'"],
    ['x #y', "'x #y'"],
    ["it's", "it's"],
    ["'quoted'", "'''quoted'''"],
    ['Bash("/my path/node" "/a b/cco.js":*)', 'Bash("/my path/node" "/a b/cco.js":*)'],
  ])('yamlScalar(%j) = %s', (value, yaml) => {
    expect(yamlScalar(value)).toBe(yaml);
  });
});

describe('planCommandFiles', () => {
  const [ours] = renderSlashCommands(TARGET);
  if (!ours) throw new Error('no commands');
  const older = `${ours.content}an older wording\n`;
  const edited = `${ours.content}my own note\n`;
  const foreign = '---\ndescription: my own status\n---\n!`my-status`\n';

  it.each([
    ['absent', null, {}, 'write', ours.sha256],
    ['identical', ours.content, {}, 'keep', ours.sha256],
    ['our older, untouched version', older, { [ours.file]: sha256(older) }, 'write', ours.sha256],
    ['ours, edited by the user', edited, { [ours.file]: sha256(ours.content) }, 'skip-modified', sha256(ours.content)],
    ['ours (marker) with no record', edited, {}, 'skip-modified', null],
    ['the user\'s own file of that name', foreign, {}, 'skip-foreign', null],
  ])('%s → %s', (_name, content, recorded, action, record) => {
    const [plan] = planCommandFiles([ours], new Map([[ours.file, content]]), recorded);
    expect(plan?.action).toBe(action);
    expect(plan?.recordSha256).toBe(record);
  });
});

describe('planCommandRemoval', () => {
  const [ours] = renderSlashCommands(TARGET);
  if (!ours) throw new Error('no commands');
  const edited = `${ours.content}my own note\n`;

  it.each([
    ['absent', null, { [ours.file]: ours.sha256 }, 'absent'],
    ['as we wrote it', ours.content, { [ours.file]: ours.sha256 }, 'remove'],
    ['as we would write it, with no record', ours.content, {}, 'remove'],
    ['our older version as recorded', 'older\n', { [ours.file]: sha256('older\n') }, 'remove'],
    ['edited', edited, { [ours.file]: ours.sha256 }, 'keep-modified'],
    ['the user\'s own', 'mine\n', {}, 'keep-foreign'],
  ])('%s → %s', (_name, content, recorded, action) => {
    expect(planCommandRemoval([ours], new Map([[ours.file, content]]), recorded)[0]?.action).toBe(action);
  });
});

describe('unifiedDiff', () => {
  const labels = { before: 'a', after: 'b' };

  it('is empty for equal texts', () => {
    expect(unifiedDiff('x\ny\n', 'x\ny\n', labels)).toBe('');
  });

  it('shows changed lines with context and line numbers', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n';
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10', '11'].join('\n') + '\n';
    expect(unifiedDiff(before, after, labels, 1)).toBe(
      ['--- a', '+++ b', '@@ -4,3 +4,3 @@', ' 4', '-5', '+five', ' 6', '@@ -10,1 +10,2 @@', ' 10', '+11', ''].join('\n'),
    );
  });

  it('handles a file that appears from nothing', () => {
    expect(unifiedDiff('', '{}\n', labels)).toBe(['--- a', '+++ b', '@@ -0,0 +1,1 @@', '+{}', ''].join('\n'));
  });
});
