/**
 * The planner's settings: a typed pick of Settings (main/core/settings.ts holds every key's
 * default and rules), so the launcher and the scheduler never read the settings file themselves.
 * `terminal` (null: detect; a terminal name; or a command list with "{command}") and `claudePath`
 * (null: `claude` on PATH) decide what a launch runs; `autoScheduleAtCritical` what CRITICAL does.
 */
import type { Settings } from '../settings-schema.js';
import type { LaunchSettings } from './launcher.js';

export interface PlannerSettings extends LaunchSettings {
  autoScheduleAtCritical: boolean;
}

/** The launch keys of Settings. */
export function launchSettings(settings: Pick<Settings, 'terminal' | 'claudePath'>): LaunchSettings {
  return { terminal: settings.terminal, claudePath: settings.claudePath };
}

/** The planner's keys of Settings. */
export function plannerSettings(settings: Pick<Settings, 'terminal' | 'claudePath' | 'autoScheduleAtCritical'>): PlannerSettings {
  return { ...launchSettings(settings), autoScheduleAtCritical: settings.autoScheduleAtCritical };
}
