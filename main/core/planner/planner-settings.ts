/**
 * The launcher's settings, read from `cco-settings.json` beside the others until the shared
 * settings schema (main/core/settings.ts) carries them: `terminal` (null: detect; a terminal
 * name; or a command list with "{command}") and `claudePath` (null: `claude` on PATH).
 * Read-only here: the file is written by `cco config` and the app. An invalid value falls back
 * to its default with a warning. (`autoScheduleAtCritical` lives in Settings.)
 */
import { settingsPath } from '../settings.js';
import { isRecord, readJsonFileSync } from '../store.js';
import type { LaunchSettings } from './launcher.js';

export const DEFAULT_LAUNCH_SETTINGS: Readonly<LaunchSettings> = Object.freeze({ terminal: null, claudePath: null });

/** Launch settings from a settings object (the parsed file, or what the app holds). Pure. */
export function launchSettingsFrom(raw: unknown): { settings: LaunchSettings; warnings: string[] } {
  const settings: LaunchSettings = { ...DEFAULT_LAUNCH_SETTINGS };
  const warnings: string[] = [];
  if (!isRecord(raw)) return { settings, warnings };
  const terminal = raw.terminal;
  if (typeof terminal === 'string' || terminal === null) settings.terminal = terminal;
  else if (Array.isArray(terminal) && terminal.every((item): item is string => typeof item === 'string')) settings.terminal = terminal;
  else if (terminal !== undefined) warnings.push('terminal must be a terminal name or a list of strings; detecting the terminal instead');
  const claudePath = raw.claudePath;
  if (typeof claudePath === 'string' && claudePath.trim() !== '') settings.claudePath = claudePath;
  else if (claudePath !== undefined && claudePath !== null) warnings.push('claudePath must be a path; using claude from PATH');
  return { settings, warnings };
}

/** The launch settings of a config root. A missing or unreadable file gives the defaults. */
export function readLaunchSettings(root: string): { settings: LaunchSettings; warnings: string[] } {
  let raw: unknown = null;
  try {
    raw = readJsonFileSync(settingsPath(root));
  } catch {
    // Missing or corrupt: loadSettings (run by every command) already reports and moves it aside.
  }
  const { settings, warnings } = launchSettingsFrom(raw);
  return { settings, warnings: warnings.map((warning) => `${settingsPath(root)}: ${warning}`) };
}

/** The launch settings plus `autoScheduleAtCritical` (default true), for callers without Settings. */
export interface PlannerSettings extends LaunchSettings {
  autoScheduleAtCritical: boolean;
}

export const DEFAULT_PLANNER_SETTINGS: Readonly<PlannerSettings> = Object.freeze({ ...DEFAULT_LAUNCH_SETTINGS, autoScheduleAtCritical: true });

/** Planner settings from a settings object. Pure. */
export function plannerSettingsFrom(raw: unknown): { settings: PlannerSettings; warnings: string[] } {
  const launch = launchSettingsFrom(raw);
  const settings: PlannerSettings = { ...launch.settings, autoScheduleAtCritical: true };
  const warnings = [...launch.warnings];
  const auto = isRecord(raw) ? raw.autoScheduleAtCritical : undefined;
  if (typeof auto === 'boolean') settings.autoScheduleAtCritical = auto;
  else if (auto !== undefined) warnings.push('autoScheduleAtCritical must be true or false; using true');
  return { settings, warnings };
}

/** The planner settings of a config root. A missing or unreadable file gives the defaults. */
export function readPlannerSettings(root: string): { settings: PlannerSettings; warnings: string[] } {
  let raw: unknown = null;
  try {
    raw = readJsonFileSync(settingsPath(root));
  } catch {
    // as readLaunchSettings
  }
  const { settings, warnings } = plannerSettingsFrom(raw);
  return { settings, warnings: warnings.map((warning) => `${settingsPath(root)}: ${warning}`) };
}
