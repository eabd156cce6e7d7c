/**
 * `cco queue import PLAN.md`: a whole plan written as markdown, one `##` heading per session.
 *
 * ```markdown
 * # Invoice API (a title: ignored)
 * ## Implementation - Part 1/3
 * - Build API integration layer
 * - Implement error handling
 * tokens: 65k
 * hours: 3
 * after: Planning, s2
 * agent: .claude/agents/implementer.md
 * project: ~/code/invoice-api
 * ```
 * Bullets are objectives; `after:` names sessions of the same file (by heading) or ids already in
 * the queue. Parsing is pure; every problem is reported with its line number, and nothing is
 * added unless the whole file is valid.
 */
import {
  QueueError,
  addSession,
  checkDependencies,
  checkHours,
  checkName,
  checkObjectives,
  checkProjectDir,
  checkTokens,
  parseHours,
  parseTokens,
  resolveSessionId,
  type QueuedSession,
  type SessionQueue,
} from './queue.js';

export interface PlannedSession {
  name: string;
  objectives: string[];
  estimatedTokens: number;
  estimatedHours: number;
  /** As written: headings of this file or ids already in the queue. */
  after: string[];
  agent: string | null;
  /** As written (relative paths are relative to the plan file); null: the default project. */
  project: string | null;
  line: number;
  /** The line of the "after:" field, where a problem with it is reported; null without one. */
  afterLine: number | null;
}

/** "## Session: Design review" names the session "Design review": the label is not part of the name. */
export function sessionName(heading: string): string {
  return heading.replace(/^session(?:\s+\d+)?\s*:\s*/i, '');
}

type Key = 'tokens' | 'hours' | 'after' | 'agent' | 'project';
const KEY_ALIASES: Readonly<Record<string, Key>> = {
  tokens: 'tokens',
  'estimated tokens': 'tokens',
  budget: 'tokens',
  hours: 'hours',
  'estimated hours': 'hours',
  duration: 'hours',
  after: 'after',
  'depends on': 'after',
  dependencies: 'after',
  agent: 'agent',
  project: 'project',
};

interface Section {
  name: string;
  line: number;
  objectives: string[];
  values: Partial<Record<Key, { text: string; line: number }>>;
}

function fail(line: number, message: string): never {
  throw new QueueError(`line ${line}: ${message}`);
}

/** Keys that may also be written as a bullet (`- tokens: 65k`); any other bullet is an objective. */
const BULLET_KEYS: readonly string[] = ['tokens', 'hours', 'after'];

/** `tokens: 65k`, `**Tokens:** 65k`, `Tokens = 65k` and `- tokens: 65k` all read as the key `tokens`. */
function keyLine(text: string): { key: Key; value: string } | null {
  const match = /^([-*+]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z ]*?)\s*(?:\*\*|__)?\s*[:=]\s*(?:\*\*|__)?\s*(.*)$/.exec(text);
  if (!match) return null;
  const word = (match[2] ?? '').trim().toLowerCase();
  if (match[1] !== undefined && !BULLET_KEYS.includes(word)) return null;
  const key = KEY_ALIASES[word];
  return key ? { key, value: (match[3] ?? '').replace(/(\*\*|__)\s*$/, '').trim() } : null;
}

/** Sessions in file order. Throws a QueueError naming the line of the first problem. */
export function parsePlan(markdown: string): PlannedSession[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  let fence = false;
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    const lineNo = index + 1;
    const line = rawLine.trim();
    if (/^(```|~~~)/.test(line)) {
      fence = !fence;
      continue;
    }
    if (fence || line === '' || line.startsWith('<!--')) continue;
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      if ((heading[1] ?? '').length === 2) {
        current = { name: sessionName(heading[2] ?? ''), line: lineNo, objectives: [], values: {} };
        sections.push(current);
      } else if ((heading[1] ?? '').length === 1) {
        current = null;
      }
      continue;
    }
    if (current === null) continue;
    const key = keyLine(line);
    if (key) {
      if (current.values[key.key]) fail(lineNo, `"${key.key}:" given twice for "${current.name}"`);
      current.values[key.key] = { text: key.value, line: lineNo };
      continue;
    }
    const bullet = /^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(line);
    if (bullet) current.objectives.push(bullet[1] ?? '');
    // Any other text is prose about the session: allowed, not imported.
  }
  if (sections.length === 0) throw new QueueError('no sessions found: write one "## Session name" heading per session, with "tokens:" and "hours:" lines');

  const names = new Map<string, number>();
  const planned = sections.map((section): PlannedSession => {
    const at = (line: number, fn: () => unknown): unknown => {
      try {
        return fn();
      } catch (error) {
        return fail(line, error instanceof Error ? error.message : String(error));
      }
    };
    const name = at(section.line, () => checkName(section.name)) as string;
    const key = name.toLowerCase();
    if (names.has(key)) fail(section.line, `two sessions are called "${name}" (lines ${names.get(key)} and ${section.line}); names must differ so "after:" can refer to them`);
    names.set(key, section.line);
    const tokens = section.values.tokens;
    const hours = section.values.hours;
    if (!tokens) fail(section.line, `"${name}" has no "tokens:" line (e.g. tokens: 45k)`);
    if (!hours) fail(section.line, `"${name}" has no "hours:" line (e.g. hours: 2.5)`);
    const after = section.values.after?.text ?? '';
    return {
      name,
      objectives: at(section.line, () => checkObjectives(section.objectives)) as string[],
      estimatedTokens: at(tokens.line, () => checkTokens(parseTokens(tokens.text))) as number,
      estimatedHours: at(hours.line, () => checkHours(parseHours(hours.text))) as number,
      after: ['', 'none', '-'].includes(after.toLowerCase()) ? [] : after.split(/\s*[,;]\s*/).filter((item) => item !== ''),
      agent: section.values.agent?.text || null,
      project: section.values.project?.text || null,
      line: section.line,
      afterLine: section.values.after?.line ?? null,
    };
  });
  return planned;
}

export interface ImportOptions {
  /** The project of sessions whose section has no "project:" line (already checked to exist). */
  defaultProject: string;
  /** Relative "project:" paths are taken from here (the plan file's directory). */
  baseDir: string;
  now: number;
}

/** Resolve each section's project directory before taking the queue lock (each must exist). */
export function resolvePlanProjects(planned: readonly PlannedSession[], options: Pick<ImportOptions, 'defaultProject' | 'baseDir'>): string[] {
  return planned.map((session) => {
    if (session.project === null) return options.defaultProject;
    try {
      return checkProjectDir(session.project, options.baseDir);
    } catch (error) {
      return fail(session.line, error instanceof Error ? error.message : String(error));
    }
  });
}

/**
 * Add the planned sessions to `queue` (inside a locked update): `after:` names resolve to this
 * file's headings first, then to sessions already queued. Returns the new sessions in file order.
 */
export function addPlannedSessions(queue: SessionQueue, planned: readonly PlannedSession[], projects: readonly string[], now: number): QueuedSession[] {
  const firstNumber = queue.nextNumber;
  const idsByName = new Map(planned.map((session, index) => [session.name.toLowerCase(), `s${firstNumber + index}`]));
  const dependencies = planned.map((session) =>
    session.after.map((reference) => {
      const own = idsByName.get(reference.toLowerCase()) ?? idsByName.get(sessionName(reference).toLowerCase());
      if (own !== undefined) return own;
      try {
        return resolveSessionId(queue, reference);
      } catch {
        return fail(session.afterLine ?? session.line, `"after: ${reference}" names no session of this plan and no queued session`);
      }
    }),
  );
  // Add without links first (a link may point forward in the file), then link and check cycles.
  const added = planned.map((session, index) =>
    addSession(queue, { name: session.name, project: projects[index] as string, agent: session.agent, objectives: session.objectives, estimatedTokens: session.estimatedTokens, estimatedHours: session.estimatedHours }, now),
  );
  for (const [index, session] of added.entries()) {
    const own = dependencies[index] ?? [];
    if (own.includes(session.id)) fail(planned[index]?.afterLine ?? planned[index]?.line ?? 0, `"${session.name}" cannot come after itself`);
    session.dependencies = [...new Set(own)];
  }
  checkDependencies(queue.sessions);
  return added;
}
