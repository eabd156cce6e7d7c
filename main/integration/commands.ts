/**
 * The six slash commands (`<root>/commands/<name>.md`, claude-code-facts.md §5). Each runs one
 * fixed `cco` command line through `` !`...` `` (its output replaces the line before the prompt
 * reaches Claude) and pre-approves exactly that line in `allowed-tools`, since an unapproved `!`
 * command aborts the whole slash command.
 *
 * Why exactly that line and nothing wider: `allowed-tools` grants stay in force while the command
 * runs, for the model too. A prefix rule (our CLI followed by `:*`) let the model run any cco
 * subcommand unasked, and three of them in a row (`config set terminal`, `queue add`, `queue
 * start`) run any program. So every `!` line is read-only or writes only its own output file
 * (a handoff, .ics files), and none carries `$ARGUMENTS`: Claude Code substitutes the arguments
 * into the line before matching, so such a line can neither be granted exactly nor kept free of
 * shell metacharacters. Arguments reach the model through the prompt text instead.
 */
import { sha256Hex } from '../core/crypto.js';
import { ccoCommand, UnsafePathError, type CliTarget } from './shell.js';

/** Marks a file as ours: a YAML comment, ignored by Claude Code's frontmatter parser. */
export const COMMAND_MARKER = '# Written by cco install (Claude Code Optimizer); cco uninstall removes it.';

export interface SlashCommandSpec {
  /** File name in `<root>/commands/`, also the `/name` users type. */
  file: string;
  description: string;
  argumentHint?: string;
  /** The cco subcommand the `!` line runs (before --config-dir). */
  subcommand: string;
  /** Fixed options after --config-dir (never user text: see the module comment). */
  options?: readonly string[];
  /**
   * Whether Claude may run the command on its own (the SlashCommand tool). Read-only views may;
   * whatever writes files or drives the planner is the user's to run (`disable-model-invocation`).
   */
  modelMayInvoke: boolean;
  /** Why, written into the file as a YAML comment so whoever reads it sees the reason. */
  why: string;
  instructions: string[];
}

export const SLASH_COMMANDS: readonly SlashCommandSpec[] = [
  {
    file: 'session-status.md',
    description: 'Quota, 5-hour window and context status (Claude Code Optimizer)',
    subcommand: 'status',
    modelMayInvoke: true,
    why: 'a read-only view (it refreshes only the tracker caches any cco status refreshes)',
    instructions: [
      'Show the panel above to the user verbatim, inside a code block, without reformatting it.',
      'Then add at most two sentences of advice drawn from its status and recommendation lines. Run no other tools.',
    ],
  },
  {
    file: 'context-status.md',
    description: 'How full this session\'s context window is, and what to do about it (Claude Code Optimizer)',
    subcommand: 'context',
    modelMayInvoke: true,
    why: 'a read-only view of this session\'s context window',
    instructions: [
      'Show the analysis above to the user verbatim, inside a code block.',
      'If it recommends compacting, mention /compact-context. Run no other tools.',
    ],
  },
  {
    file: 'compact-context.md',
    description: 'Prepare /compact instructions that keep what matters (Claude Code Optimizer)',
    subcommand: 'compact',
    modelMayInvoke: true,
    why: "a read-only view: it prints a suggested /compact line, which only the user can run",
    instructions: [
      'Show the output above to the user.',
      'A slash command cannot run /compact itself: tell the user to run /compact followed by the suggested instructions, and offer to adjust those instructions first.',
    ],
  },
  {
    file: 'save-and-restart.md',
    description: 'Save a handoff of this session so a fresh one can continue it (Claude Code Optimizer)',
    subcommand: 'handoff',
    modelMayInvoke: false,
    why: 'it writes a handoff file under the config root',
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
    options: ['--preview'],
    modelMayInvoke: false,
    why: 'it drives the planner; the line itself only previews (starts, schedules and writes nothing)',
    instructions: [
      'The user says they have these hours available: "$ARGUMENTS" (treat it as a number of hours, nothing else).',
      'Above is what the planner decides for each of 1 to 5 hours. Pick the row for the user\'s hours (for a fraction, the whole hours below it; with no hours given, ask how many they have) and present that decision: which session fits, or when to schedule it, and why.',
      'Nothing has been started or scheduled. Ask the user whether to go ahead, and wait for the answer. Do not start, schedule or change anything before the user confirms; then either run the command the preview names (Claude Code will ask the user to approve it), or tell the user to run cco next in a terminal.',
    ],
  },
  {
    file: 'create-calendar-events.md',
    description: 'Export the scheduled sessions as calendar (.ics) files (Claude Code Optimizer)',
    subcommand: 'calendar',
    modelMayInvoke: false,
    why: 'it writes .ics files (and marks the exported sessions in the queue, so later exports can cancel them)',
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

/** A fixed option word: nothing a shell or Claude Code's argument substitution would expand. */
const OPTION_WORD = /^--?[a-z][a-z-]*$/;

/** The one command line a command's `!` line runs (and its grant approves). */
export function slashCommandLine(spec: SlashCommandSpec, target: CliTarget): string {
  for (const word of spec.options ?? []) {
    if (!OPTION_WORD.test(word)) throw new Error(`${spec.file}: option ${JSON.stringify(word)} is not a fixed option word`);
  }
  return [ccoCommand(target, spec.subcommand), ...(spec.options ?? [])].join(' ');
}

/**
 * `Bash(<command>)`: an exact rule. Claude Code's rule syntax escapes `\`, `(` and `)` inside the
 * parentheses; an unescaped `*` would turn the rule into a wildcard and `:*` at its end into a
 * prefix rule, so a command line with a `*` (only possible through a path) is refused.
 */
export function exactBashRule(command: string): string {
  if (command.includes('*')) throw new UnsafePathError(`cannot pre-approve a command line containing "*" (Claude Code reads it as a wildcard): ${command}`);
  return `Bash(${command.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** The frontmatter comment that says who may run the command, and why. */
export function invocationComment(spec: SlashCommandSpec): string {
  const name = `/${spec.file.replace(/\.md$/, '')}`;
  return spec.modelMayInvoke
    ? `# Claude may run ${name} on its own: ${spec.why}.`
    : `# Only you can run ${name} (disable-model-invocation): ${spec.why}.`;
}

export function renderSlashCommand(spec: SlashCommandSpec, target: CliTarget): string {
  const command = slashCommandLine(spec, target);
  const front = [
    '---',
    COMMAND_MARKER,
    invocationComment(spec),
    `description: ${yamlScalar(spec.description)}`,
    ...(spec.argumentHint ? [`argument-hint: ${yamlScalar(spec.argumentHint)}`] : []),
    `allowed-tools: ${yamlScalar(exactBashRule(command))}`,
    ...(spec.modelMayInvoke ? [] : ['disable-model-invocation: true']),
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
  /** Left in place, yet its `allowed-tools` pre-approves more than one cco command line (an older install's prefix grant). */
  wideGrant: boolean;
}

/**
 * True when a command file's `allowed-tools` pre-approves a pattern of our CLI rather than one
 * line: older installs wrote our CLI followed by the `:*` wildcard, under which the model could run any
 * cco subcommand unasked. Such a file is worth a warning even when it is not ours to replace.
 */
export function grantsWideCcoPattern(content: string): boolean {
  return content.split(/\r?\n/).some((line) => line.startsWith('allowed-tools:') && /cco\.js/.test(line) && line.includes('*'));
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
    if (current === null) return { file, action: 'write', content, recordSha256: wanted, wideGrant: false };
    const have = sha256(current);
    if (have === wanted) return { file, action: 'keep', content, recordSha256: wanted, wideGrant: false };
    // Ours and untouched since (any older version, the prefix-grant ones included): replaced.
    if (recorded[file] === have) return { file, action: 'write', content, recordSha256: wanted, wideGrant: false };
    const wideGrant = grantsWideCcoPattern(current);
    if (recorded[file] !== undefined || current.includes(COMMAND_MARKER)) {
      return { file, action: 'skip-modified', content, recordSha256: recorded[file] ?? null, wideGrant };
    }
    return { file, action: 'skip-foreign', content, recordSha256: null, wideGrant };
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
