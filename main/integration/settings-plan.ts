/**
 * What `cco install` and `cco uninstall` do to settings.json, as pure functions of the parsed file:
 * our hooks and status line are merged in beside the user's own, recognised later by their command
 * (`... cco.js" hook` / `statusline`), and removed without touching anything else. Key order is
 * kept: existing keys are reassigned in place, new ones go at the end.
 */
import { isRecord } from '../core/store.js';
import { ccoCommand, isCcoCommand, type CliTarget } from './shell.js';
import type { IntegrationState, StatusLineSetting } from './state.js';

/** The hook events `cco hook` listens to (claude-code-facts.md §4). */
export const HOOK_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'PostToolUse',
  'PostToolUseFailure',
  'PreCompact',
  'PostCompact',
  'Stop',
  'StopFailure',
  'UserPromptSubmit',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** Seconds Claude Code waits for our hook. PostToolUse(Failure) runs after every tool call: keep it short. */
export function hookTimeout(event: HookEvent): number {
  return event === 'PostToolUse' || event === 'PostToolUseFailure' ? 5 : 10;
}

export type JsonObject = Record<string, unknown>;

export interface PlannedChange {
  action: 'add' | 'update' | 'remove' | 'restore' | 'keep';
  /** What is changed, e.g. `hook SessionStart`, `statusLine`. */
  target: string;
  detail?: string;
}

/** Containers that existed but were empty before install: uninstall leaves them empty instead of deleting them. */
export interface KeptEmpty {
  hooks: boolean;
  events: string[];
}

export interface InstallPlan {
  nextSettings: JsonObject;
  /** Empty when the settings already hold exactly our entries. */
  changes: PlannedChange[];
  /** The statusLine ours replaces (or replaced at an earlier install), to save for chaining and restore. */
  previousStatusLine: StatusLineSetting | null;
  keptEmpty: KeptEmpty;
}

export interface UninstallPlan {
  nextSettings: JsonObject;
  changes: PlannedChange[];
  /** Things deliberately left alone, one line each for the user. */
  notes: string[];
}

/** settings.json holds something we cannot merge into without guessing: left untouched. */
export class SettingsShapeError extends Error {}

function clone(value: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function asSettings(current: unknown): JsonObject {
  if (current === undefined) return {};
  if (!isRecord(current)) throw new SettingsShapeError('settings.json must hold a JSON object ({ ... }); left untouched');
  return clone(current);
}

function hooksOf(settings: JsonObject): JsonObject | undefined {
  const hooks = settings.hooks;
  if (hooks === undefined) return undefined;
  if (!isRecord(hooks)) throw new SettingsShapeError('"hooks" in settings.json is not an object; fix it by hand, then run cco install again');
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) throw new SettingsShapeError(`"hooks.${event}" in settings.json is not a list; fix it by hand, then run cco install again`);
  }
  return hooks;
}

function isOurHook(entry: unknown): boolean {
  return isRecord(entry) && isCcoCommand(entry.command, 'hook');
}

export function isOurStatusLine(value: unknown): boolean {
  return isRecord(value) && isCcoCommand(value.command, 'statusline');
}

export function hookEntry(target: CliTarget, event: HookEvent): JsonObject {
  return { type: 'command', command: ccoCommand(target, 'hook'), timeout: hookTimeout(event) };
}

export function statusLineEntry(target: CliTarget): JsonObject {
  return { type: 'command', command: ccoCommand(target, 'statusline'), padding: 0 };
}

/**
 * Remove our hook entries from one event's groups, keeping `keepFirst` (if given) in place of the
 * first one found. A group left empty by the removal goes too; every other group is untouched.
 */
function stripOurHooks(groups: unknown[], keepFirst: JsonObject | null): { groups: unknown[]; found: number; replaced: boolean; kept: boolean } {
  const out: unknown[] = [];
  let found = 0;
  let kept = false;
  let replaced = false;
  for (const group of groups) {
    if (!isRecord(group) || !Array.isArray(group.hooks) || !group.hooks.some(isOurHook)) {
      out.push(group);
      continue;
    }
    const entries: unknown[] = [];
    for (const entry of group.hooks) {
      if (!isOurHook(entry)) entries.push(entry);
      else {
        found++;
        if (keepFirst !== null && !kept) {
          kept = true;
          replaced = !sameJson(entry, keepFirst);
          entries.push(replaced ? keepFirst : entry);
        }
      }
    }
    if (entries.length > 0) out.push({ ...group, hooks: entries });
  }
  return { groups: out, found, replaced, kept };
}

export interface InstallContext {
  target: CliTarget;
  /** The state left by an earlier install, if any: keeps the user's original statusLine across re-installs. */
  state: IntegrationState | null;
}

/**
 * Merge our hooks and status line into `current` (the parsed settings.json; undefined when the
 * file does not exist). Throws SettingsShapeError when the file's shape would need guessing.
 */
export function planInstall(current: unknown, ctx: InstallContext): InstallPlan {
  const next = asSettings(current);
  const changes: PlannedChange[] = [];
  const keptEmpty: KeptEmpty = { hooks: ctx.state?.keptEmpty?.hooks ?? false, events: [...(ctx.state?.keptEmpty?.events ?? [])] };

  let hooks = hooksOf(next);
  if (hooks === undefined) {
    hooks = {};
    next.hooks = hooks;
  } else if (Object.keys(hooks).length === 0 && ctx.state === null) {
    keptEmpty.hooks = true;
  }
  const registered = new Set<string>(HOOK_EVENTS);
  for (const [event, groups] of Object.entries(hooks)) {
    const list = groups as unknown[];
    const wanted = registered.has(event) ? hookEntry(ctx.target, event as HookEvent) : null;
    const stripped = stripOurHooks(list, wanted);
    const extra = stripped.found - (stripped.kept ? 1 : 0);
    if (extra > 0) changes.push({ action: 'remove', target: `hook ${event}`, detail: wanted ? 'duplicate' : 'event no longer used' });
    if (stripped.replaced) changes.push({ action: 'update', target: `hook ${event}`, detail: 'new command' });
    if (wanted !== null && !stripped.kept) {
      if (list.length === 0 && ctx.state === null && !keptEmpty.events.includes(event)) keptEmpty.events.push(event);
      stripped.groups.push({ matcher: '', hooks: [wanted] });
      changes.push({ action: 'add', target: `hook ${event}` });
    }
    if (stripped.found > 0 || wanted !== null) hooks[event] = stripped.groups;
    if (wanted === null && stripped.found > 0 && stripped.groups.length === 0 && !keptEmpty.events.includes(event)) delete hooks[event];
  }
  for (const event of HOOK_EVENTS) {
    if (hooks[event] !== undefined) continue;
    hooks[event] = [{ matcher: '', hooks: [hookEntry(ctx.target, event)] }];
    changes.push({ action: 'add', target: `hook ${event}` });
  }

  const wantedLine = statusLineEntry(ctx.target);
  const currentLine = next.statusLine;
  let previousStatusLine: StatusLineSetting | null = null;
  if (currentLine === undefined || currentLine === null) {
    next.statusLine = wantedLine;
    changes.push({ action: 'add', target: 'statusLine' });
  } else if (!isRecord(currentLine)) {
    throw new SettingsShapeError('"statusLine" in settings.json is not an object; fix it by hand, then run cco install again');
  } else if (isOurStatusLine(currentLine)) {
    previousStatusLine = ctx.state?.previousStatusLine ?? null;
    // Keep anything the user added to ours (refreshInterval, padding); only the command is ours.
    const merged: JsonObject = { ...currentLine, type: 'command', command: wantedLine.command };
    if (merged.padding === undefined) merged.padding = 0;
    if (!sameJson(merged, currentLine)) {
      next.statusLine = merged;
      changes.push({ action: 'update', target: 'statusLine', detail: 'new command' });
    }
  } else {
    previousStatusLine = clone(currentLine);
    next.statusLine = wantedLine;
    const theirs = typeof currentLine.command === 'string' ? `: ${currentLine.command}` : '';
    changes.push({ action: 'update', target: 'statusLine', detail: `yours is saved, still shown after ours, and restored by cco uninstall${theirs}` });
  }
  return { nextSettings: next, changes, previousStatusLine, keptEmpty };
}

/**
 * Remove our hooks and status line from `current`, putting back the status line we replaced. What
 * the user added or changed since install stays; a status line that is no longer ours is left alone.
 */
export function planUninstall(current: unknown, state: IntegrationState | null): UninstallPlan {
  const next = asSettings(current);
  const changes: PlannedChange[] = [];
  const notes: string[] = [];
  const keptEmpty = state?.keptEmpty ?? { hooks: false, events: [] };

  const hooks = hooksOf(next);
  if (hooks !== undefined) {
    let removedAny = false;
    for (const [event, groups] of Object.entries(hooks)) {
      const stripped = stripOurHooks(groups as unknown[], null);
      if (stripped.found === 0) continue;
      removedAny = true;
      changes.push({ action: 'remove', target: `hook ${event}` });
      if (stripped.groups.length === 0 && !keptEmpty.events.includes(event)) delete hooks[event];
      else hooks[event] = stripped.groups;
    }
    if (removedAny && Object.keys(hooks).length === 0 && !keptEmpty.hooks) delete next.hooks;
  }

  const line = next.statusLine;
  if (isOurStatusLine(line)) {
    const previous = state?.previousStatusLine ?? null;
    if (previous !== null) {
      next.statusLine = clone(previous);
      changes.push({ action: 'restore', target: 'statusLine', detail: typeof previous.command === 'string' ? previous.command : 'yours' });
    } else {
      delete next.statusLine;
      changes.push({ action: 'remove', target: 'statusLine' });
    }
  } else if (state?.previousStatusLine && line !== undefined && !sameJson(line, state.previousStatusLine)) {
    notes.push('the status line was changed after cco install; left as it is now');
  }
  return { nextSettings: next, changes, notes };
}
