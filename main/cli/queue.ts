/**
 * `cco queue`: the planned sessions (`session-queue.json`), the spec's "Session Queue" kept by
 * hand or imported from a markdown plan. Every change is a locked read-modify-write.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCliArgs } from './args.js';
import { formatTokens, hoursText } from '../../shared/format.js';
import { queueSnapshot, sessionIndex, unmetDependencies } from '../../shared/queue-snapshot.js';
import { visibleLine } from '../../shared/sanitize.js';
import { addPlannedSessions, parsePlan, resolvePlanProjects } from '../core/planner/plan-import.js';
import { endedFrom } from '../core/planner/progress.js';
import {
  QueueError,
  addSession,
  checkHours,
  checkName,
  checkObjectives,
  checkProjectDir,
  checkTokens,
  findSession,
  MAX_HOURS,
  MAX_TOKENS,
  parseHours,
  parseTokens,
  readQueue,
  removeSession,
  resolveSessionId,
  scheduleSession,
  setStatus,
  touch,
  updateQueue,
  type QueuedSession,
  type SessionQueue,
} from '../core/planner/queue.js';
import { COMMON_OPTIONS, UsageError, resolveContext, type CommandContext } from './command-context.js';
import type { Io } from './io.js';
import { launchJson, renderLaunch, startFromCli, warn } from './launch.js';
import { followServerReset } from '../core/planner/reset-follow.js';
import { followedLines, lastWritesIn, renderQueueList, renderSessionDetail, summaryLine } from './render/queue-panel.js';

export const QUEUE_USAGE = `usage: cco queue <command> [options]
  list                       the queue with its summary (--json)
  show ID                    one session in full (--json)
  add --name N --tokens T --hours H [--project DIR] [--objective TEXT]... [--agent FILE] [--after ID]...
                             add a session at the end; prints its id
  edit ID [--name N] [--tokens T] [--hours H] [--project DIR] [--objective TEXT]... [--add-objective TEXT]...
          [--agent FILE|none] [--after ID|none]... [--at ISO|none] [--status ready|skipped|done]
  done ID | skip ID          mark a session finished or skipped (dependents may then start)
  rm ID [--force]            remove a session (--force also drops the links of sessions after it)
  start ID [--print]         start it now in a new terminal (--print shows the command only)
  import FILE [--project DIR] [--dry-run]
                             queue a markdown plan: one "## Name" per session, objectives as bullets,
                             "tokens: 45k", "hours: 2.5", "after: Name or ID" lines
common: --json, --config-dir DIR, --now ISO
Tokens: 65000, 65k or 1.5M. Hours: 3, 1.5, 90m or 2h30m. IDs: s3, 3 or the session's name.`;

const EDIT_OPTIONS = {
  name: { type: 'string' },
  tokens: { type: 'string' },
  hours: { type: 'string' },
  project: { type: 'string' },
  objective: { type: 'string', multiple: true },
  agent: { type: 'string' },
  after: { type: 'string', multiple: true },
} as const;


function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof QueueError) throw new UsageError(error.message);
    throw error;
  }
}

/** `--tokens`: one line naming the option and its range. */
function tokensOption(text: string): number {
  try {
    return parseTokens(text);
  } catch {
    throw new UsageError(`--tokens must be a whole number of tokens from 1 to ${MAX_TOKENS.toLocaleString('en-US')} (like 65000, 65k or 1.5M); got ${text.trim() === '' ? '""' : text.trim()}`);
  }
}

/** `--hours`: one line naming the option and its range. */
function hoursOption(text: string): number {
  try {
    return parseHours(text);
  } catch {
    throw new UsageError(`--hours must be from 5 minutes to ${MAX_HOURS} hours (like 3, 1.5, 90m or 2h30m); got ${text.trim() === '' ? '""' : text.trim()}`);
  }
}

function parseTime(text: string, option: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim()) || !Number.isFinite(ms)) throw new UsageError(`${option} must be a date and time like 2026-01-06T19:30 (local) or 2026-01-06T18:30:00Z, got "${text}"`);
  return ms;
}

function json(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

function oneId(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`"cco queue ${command}" expects one session ID, got ${positionals.length}`);
  return positionals[0] as string;
}

function resolveDependencies(queue: SessionQueue, after: string[] | undefined): string[] | undefined {
  if (after === undefined) return undefined;
  if (after.length === 1 && ['none', ''].includes((after[0] ?? '').trim().toLowerCase())) return [];
  return after.flatMap((item) => item.split(',')).map((item) => item.trim()).filter(Boolean).map((item) => resolveSessionId(queue, item));
}

function runAdd(args: string[], io: Io): number {
  const { values, positionals } = parseCliArgs({ args, options: { ...COMMON_OPTIONS, ...EDIT_OPTIONS, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" for "cco queue add" (quote a name with spaces: --name "Part 1")`);
  const ctx = resolveContext(values, io.env);
  const root = ctx.roots[0];
  if (values.name === undefined) throw new UsageError('cco queue add needs --name (e.g. --name "Implementation - Part 1/3")');
  if (values.tokens === undefined) throw new UsageError('cco queue add needs --tokens (the estimated tokens, e.g. 65k)');
  if (values.hours === undefined) throw new UsageError('cco queue add needs --hours (the estimated hours, e.g. 3)');
  const draft = usage(() => ({
    name: checkName(values.name),
    estimatedTokens: tokensOption(values.tokens as string),
    estimatedHours: hoursOption(values.hours as string),
    project: checkProjectDir(values.project ?? process.cwd()),
    objectives: checkObjectives(values.objective ?? []),
    agent: values.agent === undefined || values.agent.trim().toLowerCase() === 'none' ? null : values.agent.trim(),
  }));
  const { result: session, warning } = usage(() =>
    updateQueue(root, ctx.now, (queue) => structuredClone(addSession(queue, { ...draft, dependencies: resolveDependencies(queue, values.after) ?? [] }, ctx.now))),
  );
  warn(io, warning);
  if (values.json) json(io, { id: session.id, session });
  else io.stdout(`${session.id}\n`);
  return 0;
}

function runEdit(args: string[], io: Io): number {
  const { values, positionals } = parseCliArgs({
    args,
    options: { ...COMMON_OPTIONS, ...EDIT_OPTIONS, 'add-objective': { type: 'string', multiple: true }, at: { type: 'string' }, status: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const idText = oneId(positionals, 'edit');
  const ctx = resolveContext(values, io.env);
  // Validate everything before taking the lock.
  const changes = usage(() => ({
    name: values.name === undefined ? undefined : checkName(values.name),
    tokens: values.tokens === undefined ? undefined : tokensOption(values.tokens),
    hours: values.hours === undefined ? undefined : hoursOption(values.hours),
    project: values.project === undefined ? undefined : checkProjectDir(values.project),
    objectives: values.objective === undefined ? undefined : checkObjectives(values.objective),
    addObjectives: values['add-objective'] === undefined ? undefined : checkObjectives(values['add-objective']),
    agent: values.agent === undefined ? undefined : ['none', ''].includes(values.agent.trim().toLowerCase()) ? null : values.agent.trim(),
    at: values.at === undefined ? undefined : values.at.trim().toLowerCase() === 'none' ? null : parseTime(values.at, '--at'),
    status: values.status,
  }));
  if (changes.status !== undefined && !['ready', 'skipped', 'done'].includes(changes.status)) {
    throw new UsageError(`--status must be ready, skipped or done, got "${changes.status}" (use --at to schedule, cco queue start to start)`);
  }
  if (Object.values(changes).every((value) => value === undefined) && values.after === undefined) throw new UsageError(`nothing to change: give cco queue edit ${idText} an option such as --tokens or --hours`);
  const { result: session, warning } = usage(() =>
    updateQueue(ctx.roots[0], ctx.now, (queue) => {
      const session = findSession(queue, idText);
      if (changes.name !== undefined) session.name = changes.name;
      if (changes.tokens !== undefined) session.estimatedTokens = checkTokens(changes.tokens);
      if (changes.hours !== undefined) session.estimatedHours = checkHours(changes.hours);
      if (changes.project !== undefined) session.project = changes.project;
      if (changes.objectives !== undefined) session.objectives = changes.objectives;
      if (changes.addObjectives !== undefined) session.objectives = checkObjectives([...session.objectives, ...changes.addObjectives]);
      if (changes.agent !== undefined) session.agent = changes.agent;
      const dependencies = resolveDependencies(queue, values.after);
      if (dependencies !== undefined) session.dependencies = [...new Set(dependencies)];
      if (changes.status !== undefined) setStatus(session, changes.status as 'ready' | 'skipped' | 'done', ctx.now);
      if (changes.at === null && session.status === 'scheduled') setStatus(session, 'ready', ctx.now);
      if (typeof changes.at === 'number') scheduleSession(session, changes.at, 'user', ctx.now);
      touch(session, ctx.now);
      return structuredClone(session);
    }),
  );
  warn(io, warning);
  if (values.json) json(io, { session });
  else io.stdout(`Updated ${session.id} "${visibleLine(session.name)}"\n`);
  return 0;
}

function runMark(args: string[], io: Io, status: 'done' | 'skipped'): number {
  const command = status === 'done' ? 'done' : 'skip';
  const { values, positionals } = parseCliArgs({ args, options: { ...COMMON_OPTIONS, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const idText = oneId(positionals, command);
  const ctx = resolveContext(values, io.env);
  const { result, queue, warning } = usage(() =>
    updateQueue(ctx.roots[0], ctx.now, (queue) => {
      const session = findSession(queue, idText);
      const was = session.status;
      if (was !== status) setStatus(session, status, ctx.now);
      return { session: structuredClone(session), was };
    }),
  );
  warn(io, warning);
  if (values.json) {
    json(io, { session: result.session, queue: queueSnapshot(queue, ctx.now) });
    return 0;
  }
  const { session, was } = result;
  if (was === status) io.stdout(`${session.id} "${visibleLine(session.name)}" was already ${status}\n`);
  else io.stdout(`${status === 'done' ? '✅' : '⏭️ '} ${session.id} "${visibleLine(session.name)}" ${status === 'done' ? 'done' : 'skipped'}\n📋 ${summaryLine(queueSnapshot(queue, ctx.now).summary)}\n`);
  return 0;
}

function runRemove(args: string[], io: Io): number {
  const { values, positionals } = parseCliArgs({ args, options: { ...COMMON_OPTIONS, force: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const idText = oneId(positionals, 'rm');
  const ctx = resolveContext(values, io.env);
  const { result: session, warning } = usage(() =>
    updateQueue(ctx.roots[0], ctx.now, (queue) => structuredClone(removeSession(queue, resolveSessionId(queue, idText), ctx.now, values.force === true))),
  );
  warn(io, warning);
  if (values.json) json(io, { removed: session });
  else io.stdout(`Removed ${session.id} "${visibleLine(session.name)}"${session.calendarExported ? ' (its calendar event is cancelled at the next cco calendar)' : ''}\n`);
  return 0;
}

function runList(args: string[], io: Io): number {
  const { values, positionals } = parseCliArgs({ args, options: { ...COMMON_OPTIONS, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" for "cco queue list"`);
  const ctx = resolveContext(values, io.env);
  // Sessions waiting for a reset the server moved show (and, unless a what-if, keep) the new time.
  const { queue, moved, warning } = followServerReset(ctx.roots[0], ctx.now, ctx.writesState);
  warn(io, warning);
  // The same states as the Snapshot's queue part, "ended" included.
  if (values.json) json(io, { ...queueSnapshot(queue, ctx.now, endedFrom(queue, lastWritesIn(ctx.roots, queue), ctx.now)), sessions: queue.sessions });
  else io.stdout(`${followedLines(moved)}${renderQueueList(queue, ctx.now, ctx.roots)}`);
  return 0;
}

function runShow(args: string[], io: Io): number {
  const { values, positionals } = parseCliArgs({ args, options: { ...COMMON_OPTIONS, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const idText = oneId(positionals, 'show');
  const ctx = resolveContext(values, io.env);
  const { queue, warning } = followServerReset(ctx.roots[0], ctx.now, ctx.writesState);
  warn(io, warning);
  const session = usage(() => findSession(queue, idText));
  if (values.json) json(io, { session, waitingFor: unmetDependencies(session, sessionIndex(queue)) });
  else io.stdout(renderSessionDetail(session, queue, ctx.now, ctx.roots));
  return 0;
}

function runImport(args: string[], io: Io): number {
  const { values, positionals } = parseCliArgs({ args, options: { ...COMMON_OPTIONS, project: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('"cco queue import" expects one markdown FILE');
  const file = path.resolve(positionals[0] as string);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read plan ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const ctx = resolveContext(values, io.env);
  const planned = usage(() => parsePlan(text));
  const defaultProject = usage(() => checkProjectDir(values.project ?? process.cwd()));
  const projects = usage(() => resolvePlanProjects(planned, { defaultProject, baseDir: path.dirname(file) }));
  const change = (queue: SessionQueue): QueuedSession[] => structuredClone(addPlannedSessions(queue, planned, projects, ctx.now));
  let added: QueuedSession[];
  if (values['dry-run']) {
    const { queue, warning } = readQueue(ctx.roots[0]);
    warn(io, warning);
    added = usage(() => change(structuredClone(queue)));
  } else {
    const result = usage(() => updateQueue(ctx.roots[0], ctx.now, change));
    warn(io, result.warning);
    added = result.result;
  }
  if (values.json) {
    json(io, { imported: added.length, dryRun: values['dry-run'] === true, sessions: added });
    return 0;
  }
  const lines = [`${values['dry-run'] ? 'Would import' : 'Imported'} ${added.length} session${added.length === 1 ? '' : 's'} from ${visibleLine(file)}:`];
  for (const session of added) {
    lines.push(`   ${session.id}  ${visibleLine(session.name)} (${formatTokens(session.estimatedTokens)} tokens, ${hoursText(session.estimatedHours)}${session.dependencies.length > 0 ? `, after ${session.dependencies.join(', ')}` : ''})`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

async function runStart(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCliArgs({ args, options: { ...COMMON_OPTIONS, print: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const idText = oneId(positionals, 'start');
  const ctx: CommandContext = resolveContext(values, io.env);
  const result = await startFromCli(ctx.roots[0], idText, ctx.now, io, values.print === true);
  if (values.json) json(io, { session: result.session, launch: launchJson(result) });
  else io.stdout(renderLaunch(result));
  return result.exitCode ?? 0;
}

export async function runQueue(args: string[], io: Io): Promise<number> {
  const [command = 'list', ...rest] = args;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${QUEUE_USAGE}\n`);
    return 0;
  }
  switch (command) {
    case 'list':
    case 'ls':
      return runList(rest, io);
    case 'show':
      return runShow(rest, io);
    case 'add':
      return runAdd(rest, io);
    case 'edit':
      return runEdit(rest, io);
    case 'done':
      return runMark(rest, io, 'done');
    case 'skip':
      return runMark(rest, io, 'skipped');
    case 'rm':
    case 'remove':
      return runRemove(rest, io);
    case 'import':
      return runImport(rest, io);
    case 'start':
      return runStart(rest, io);
    case 'help':
    case '--help':
    case '-h':
      io.stdout(`${QUEUE_USAGE}\n`);
      return 0;
    default:
      if (command.startsWith('-')) return runList(args, io);
      throw new UsageError(`unknown queue command "${command}" (see cco queue --help)`);
  }
}
