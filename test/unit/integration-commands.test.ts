import { describe, expect, it } from 'vitest';
import {
  COMMAND_MARKER,
  SLASH_COMMANDS,
  exactBashRule,
  grantsWideCcoPattern,
  planCommandFiles,
  planCommandRemoval,
  renderSlashCommands,
  sha256,
  yamlScalar,
} from '../../main/integration/commands.js';
import { unifiedDiff } from '../../main/integration/diff.js';
import { cliPrefix, splitShellWords, UnsafePathError, type CliTarget } from '../../main/integration/shell.js';

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

/**
 * A rule's content as Claude Code reads `Bash(...)`: `\\`, `\(` and `\)` unescaped; and whether it
 * is an exact rule (no `:*` suffix, no unescaped `*`: those make prefix and wildcard rules).
 */
function readBashRule(rule: string): { content: string; exact: boolean } {
  const match = /^Bash\((.*)\)$/.exec(rule);
  if (!match) throw new Error(`not a Bash rule: ${rule}`);
  const raw = match[1] as string;
  const content = raw.replace(/\\([\\()])/g, '$1');
  const unescapedStar = /(^|[^\\])(\\\\)*\*/.test(raw);
  return { content, exact: !raw.endsWith(':*') && !unescapedStar };
}

/** The frontmatter value as YAML reads it (plain, or single-quoted). */
function yamlValue(raw: string): string {
  return raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
}

const bangLine = (body: string): string => /^!`([^`]+)`$/m.exec(body)?.[1] ?? '';

describe('slash command files', () => {
  const rendered = renderSlashCommands(TARGET);
  // What each `!` line runs: read-only views, or commands that write only their own output file.
  const expected: Record<string, string[]> = {
    'session-status.md': ['status'],
    'context-status.md': ['context'],
    'compact-context.md': ['compact'],
    'save-and-restart.md': ['handoff'],
    'start-next-session.md': ['next', '--preview'],
    'create-calendar-events.md': ['calendar'],
  };

  it('are the six commands', () => {
    expect(rendered.map((r) => r.file)).toEqual(Object.keys(expected));
  });

  it.each(Object.entries(expected))('%s runs exactly cco %j and pre-approves exactly that line', (file, words) => {
    const command = rendered.find((r) => r.file === file);
    expect(command).toBeDefined();
    const { front, comments, body } = parse(command?.content ?? '');
    expect(comments[0]).toBe(COMMAND_MARKER);
    expect(front.description).toMatch(/\(Claude Code Optimizer\)$/);
    const bang = bangLine(body);
    const [subcommand, ...options] = words;
    expect(splitShellWords(bang)).toEqual([TARGET.nodePath, TARGET.ccoBin, subcommand, '--config-dir', TARGET.root, ...options]);
    // One exact grant, equal to the `!` line: no prefix rule, no wildcard, nothing else.
    const rule = readBashRule(yamlValue(front['allowed-tools'] ?? ''));
    expect(rule).toEqual({ content: bang, exact: true });
    expect(front['allowed-tools']).not.toContain(':*');
    // Claude Code substitutes arguments into the `!` line before matching: none may be there.
    expect(bang).not.toMatch(/\$ARGUMENTS|\$\d|\$\{/);
    expect(body.split('\n').filter((l) => l.trim() !== '').length).toBeGreaterThan(1); // instructions follow
    expect(command?.sha256).toBe(sha256(command?.content ?? ''));
  });

  it('/start-next-session previews read-only, takes the hours in its prompt text, and asks before acting', () => {
    const next = rendered.find((r) => r.file === 'start-next-session.md')?.content ?? '';
    const { front, body } = parse(next);
    expect(front['argument-hint']).toBe("'[hours available, e.g. 3]'");
    expect(bangLine(body)).toMatch(/ next --config-dir "[^"]+" --preview$/);
    const prompt = body.slice(body.indexOf('`\n') + 2);
    expect(prompt).toContain('$ARGUMENTS');
    expect(next).toMatch(/ask the user/i);
    expect(next).toMatch(/Do not start, schedule or change anything before the user confirms/);
  });

  it('lets Claude run only the read-only views on its own, and says why in each file', () => {
    const byModel = SLASH_COMMANDS.filter((s) => s.modelMayInvoke).map((s) => s.file);
    expect(byModel).toEqual(['session-status.md', 'context-status.md', 'compact-context.md']);
    for (const r of rendered) {
      const { front, comments } = parse(r.content);
      const userOnly = !byModel.includes(r.file);
      expect(front['disable-model-invocation'] === 'true', r.file).toBe(userOnly);
      expect(comments, r.file).toHaveLength(2);
      expect(comments[1], r.file).toMatch(userOnly ? /^# Only you can run \/[a-z-]+ \(disable-model-invocation\): .+\.$/ : /^# Claude may run \/[a-z-]+ on its own: .+\.$/);
    }
  });

  it('escapes what Claude Code\'s rule syntax needs, so the grant still equals the line for any path', () => {
    const odd: CliTarget = { nodePath: '/opt/node (lts)/bin/node', ccoBin: '/Users/d\\a/$HOME/cco.js', root: '/Users/d/My Claude (work)', platform: 'darwin' };
    for (const r of renderSlashCommands(odd)) {
      const { front, body } = parse(r.content);
      expect(readBashRule(yamlValue(front['allowed-tools'] ?? ''))).toEqual({ content: bangLine(body), exact: true });
    }
  });

  it('refuses a path with "*", which Claude Code would read as a wildcard grant', () => {
    expect(() => renderSlashCommands({ ...TARGET, root: '/home/d/*' })).toThrow(UnsafePathError);
    expect(() => exactBashRule('"/usr/bin/node" "/x/cco.js" status')).not.toThrow();
  });

  it.each([
    ['Quota and context (cco)', 'Quota and context (cco)'],
    ['[hint]', "'[hint]'"],
    ['a: b', "'a: b'"],
    ['x #y', "'x #y'"],
    ["it's", "it's"],
    ["'quoted'", "'''quoted'''"],
    ['Bash("/my path/node" "/a b/cco.js" status)', 'Bash("/my path/node" "/a b/cco.js" status)'],
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
    expect(plan?.wideGrant).toBe(false);
  });

  // What cco install wrote before exact grants: every cco subcommand pre-approved.
  const prefixGrant = ours.content.replace(/^allowed-tools: .*$/m, `allowed-tools: ${yamlScalar(`Bash(${cliPrefix(TARGET)}:*)`)}`);

  it('replaces an older install\'s prefix-grant file it recorded, whatever else changed', () => {
    expect(grantsWideCcoPattern(prefixGrant)).toBe(true);
    expect(grantsWideCcoPattern(ours.content)).toBe(false);
    const [plan] = planCommandFiles([ours], new Map([[ours.file, prefixGrant]]), { [ours.file]: sha256(prefixGrant) });
    expect(plan).toMatchObject({ action: 'write', content: ours.content, recordSha256: ours.sha256, wideGrant: false });
  });

  it.each([
    ['edited since', `${prefixGrant}my note\n`, { [ours.file]: sha256(prefixGrant) }, 'skip-modified'],
    ['with no record', prefixGrant, {}, 'skip-modified'],
    ['the user\'s own, granting cco.js:*', '---\nallowed-tools: Bash(node /x/cco.js:*)\n---\n!`date`\n', {}, 'skip-foreign'],
  ])('flags a prefix-grant file it must leave in place (%s)', (_name, content, recorded, action) => {
    const [plan] = planCommandFiles([ours], new Map([[ours.file, content]]), recorded);
    expect(plan?.action).toBe(action);
    expect(plan?.wideGrant).toBe(true);
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
