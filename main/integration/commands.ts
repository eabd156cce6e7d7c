/**
 * The six slash commands (`<root>/commands/<name>.md`, claude-code-facts.md §5). Each runs one
 * `cco` subcommand through `` !`...` `` (its output replaces the line before the prompt reaches
 * Claude) and pre-approves exactly our CLI in `allowed-tools`, since an unapproved `!` command
 * aborts the whole slash command.
 */
import { sha256Hex } from '../core/crypto.js';
import { ccoCommand, cliPrefix, type CliTarget } from './shell.js';

/** Marks a file as ours: a YAML comment, ignored by Claude Code's frontmatter parser. */
export const COMMAND_MARKER = '# Written by cco install (Claude Code Optimizer); cco uninstall removes it.';

export interface SlashCommandSpec {
  /** File name in `<root>/commands/`, also the `/name` users type. */
  file: string;
  description: string;
  argumentHint?: string;
  /** The cco subcommand the `!` line runs (before --config-dir). */
  subcommand: string;
  /** Words after --config-dir, e.g. `$ARGUMENTS`. */
  trailing?: string;
  /** Commands that change state are for the user to run, not for Claude to pick on its own. */
  userOnly?: boolean;
  instructions: string[];
}

export const SLASH_COMMANDS: readonly SlashCommandSpec[] = [
  {
    file: 'session-status.md',
    description: 'Quota, 5-hour window and context status (Claude Code Optimizer)',
    subcommand: 'status',
    instructions: [
      'Show the panel above to the user verbatim, inside a code block, without reformatting it.',
      'Then add at most two sentences of advice drawn from its status and recommendation lines. Run no other tools.',
    ],
  },
  {
    file: 'context-status.md',
    description: 'How full this session\'s context window is, and what to do about it (Claude Code Optimizer)',
    subcommand: 'context',
    instructions: [
      'Show the analysis above to the user verbatim, inside a code block.',
      'If it recommends compacting, mention /compact-context. Run no other tools.',
    ],
  },
  {
    file: 'compact-context.md',
    description: 'Prepare /compact instructions that keep what matters (Claude Code Optimizer)',
    subcommand: 'compact',
    instructions: [
      'Show the output above to the user.',
      'A slash command cannot run /compact itself: tell the user to run /compact followed by the suggested instructions, and offer to adjust those instructions first.',
    ],
  },
  {
    file: 'save-and-restart.md',
    description: 'Save a handoff of this session so a fresh one can continue it (Claude Code Optimizer)',
    subcommand: 'handoff',
    userOnly: true,
    instructions: [
      'Show the output above to the user: where the handoff was saved and how to start the next session from it.',
      'If the handoff lacks something important from this conversation (open tasks, decisions, file paths), list what to add. Do not start or end any session yourself.',
    ],
  },
  {
    file: 'start-next-session.md',
    description: 'Pick the next queued session that fits the remaining quota (Claude Code Optimizer)',
    argumentHint: '[hours available, e.g. 3]',
    subcommand: 'next',
    trailing: '$ARGUMENTS',
    userOnly: true,
    instructions: [
      'Present the decision above to the user: which session fits, or when to schedule it, and why.',
      'Then ask the user whether to go ahead, and wait for the answer. Do not start, schedule or change anything before the user confirms.',
    ],
  },
  {
    file: 'create-calendar-events.md',
    description: 'Export the scheduled sessions as calendar (.ics) files (Claude Code Optimizer)',
    subcommand: 'calendar',
    userOnly: true,
    instructions: [
      'Show the output above to the user: the files created and how to import them into a calendar app.',
      'Run no other tools.',
    ],
  },
];

/** A YAML scalar as written in frontmatter: plain when unambiguous, single-quoted otherwise. */
export function yamlScalar(value: string): string {
  // Plain needs a harmless first character and no `: `, ` #`, trailing `:` or line break.
  const plain = /^[A-Za-z0-9(]/.test(value) && !/: |\s#|:$|[\r\n]|\s$/.test(value);
  return plain ? value : `'${value.replace(/'/g, "''")}'`;
}

/** `Bash(<"node" "bin/cco.js">:*)`: pre-approves our CLI and nothing else. */
export function allowedTools(target: CliTarget): string {
  return `Bash(${cliPrefix(target)}:*)`;
}

export function renderSlashCommand(spec: SlashCommandSpec, target: CliTarget): string {
  const command = `${ccoCommand(target, spec.subcommand)}${spec.trailing ? ` ${spec.trailing}` : ''}`;
  const front = [
    '---',
    COMMAND_MARKER,
    `description: ${yamlScalar(spec.description)}`,
    ...(spec.argumentHint ? [`argument-hint: ${yamlScalar(spec.argumentHint)}`] : []),
    `allowed-tools: ${yamlScalar(allowedTools(target))}`,
    ...(spec.userOnly ? ['disable-model-invocation: true'] : []),
    '---',
  ];
  return `${[...front, `!\`${command}\``, '', ...spec.instructions].join('\n')}\n`;
}

export interface RenderedCommand {
  file: string;
  content: string;
  sha256: string;
}

export function sha256(text: string): string {
  return sha256Hex(text);
}

export function renderSlashCommands(target: CliTarget): RenderedCommand[] {
  return SLASH_COMMANDS.map((spec) => {
    const content = renderSlashCommand(spec, target);
    return { file: spec.file, content, sha256: sha256(content) };
  });
}

export type CommandFileAction =
  /** Write (new, or our unmodified older version). */
  | 'write'
  /** Already exactly what we would write. */
  | 'keep'
  /** A file of the user's own with that name: not ours to replace. */
  | 'skip-foreign'
  /** Ours, but edited by the user since: left as they have it. */
  | 'skip-modified';

export interface CommandFilePlan {
  file: string;
  action: CommandFileAction;
  content: string;
  /** The hash to record in the state file, or null to record none. */
  recordSha256: string | null;
}

/**
 * Decide per file, given its current content (null when absent) and the hashes recorded at the
 * last install: a file we wrote and nobody touched is ours to refresh; anything else is the user's.
 */
export function planCommandFiles(
  rendered: RenderedCommand[],
  existing: ReadonlyMap<string, string | null>,
  recorded: Readonly<Record<string, string>>,
): CommandFilePlan[] {
  return rendered.map(({ file, content, sha256: wanted }) => {
    const current = existing.get(file) ?? null;
    if (current === null) return { file, action: 'write', content, recordSha256: wanted };
    const have = sha256(current);
    if (have === wanted) return { file, action: 'keep', content, recordSha256: wanted };
    if (recorded[file] === have) return { file, action: 'write', content, recordSha256: wanted };
    if (recorded[file] !== undefined || current.includes(COMMAND_MARKER)) {
      return { file, action: 'skip-modified', content, recordSha256: recorded[file] ?? null };
    }
    return { file, action: 'skip-foreign', content, recordSha256: null };
  });
}

export type CommandRemovalAction = 'remove' | 'keep-modified' | 'keep-foreign' | 'absent';

/**
 * Which command files uninstall deletes: those whose content is what we recorded (or, with no
 * record, exactly what we would write now). Edited files stay, with a note.
 */
export function planCommandRemoval(
  rendered: RenderedCommand[],
  existing: ReadonlyMap<string, string | null>,
  recorded: Readonly<Record<string, string>>,
): { file: string; action: CommandRemovalAction }[] {
  return rendered.map(({ file, sha256: wanted }) => {
    const current = existing.get(file) ?? null;
    if (current === null) return { file, action: 'absent' };
    const have = sha256(current);
    if (have === recorded[file] || have === wanted) return { file, action: 'remove' };
    return { file, action: recorded[file] !== undefined || current.includes(COMMAND_MARKER) ? 'keep-modified' : 'keep-foreign' };
  });
}
