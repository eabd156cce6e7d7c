/**
 * `<root>/cco-integration.json`: what `cco install` did, so `cco uninstall` can undo exactly that
 * and `cco statusline` can chain to the status line the user had before.
 */
import { statePaths } from '../core/paths.js';
import { isRecord, readJsonFileSync } from '../core/store.js';

/** A `statusLine` value from settings.json, kept exactly as the user wrote it. */
export type StatusLineSetting = Record<string, unknown>;

export interface IntegrationState {
  version: 1;
  /** ISO time of the install that last changed something. */
  installedAt: string;
  /** The user's own statusLine before ours replaced it (restored by uninstall), or null. */
  previousStatusLine: StatusLineSetting | null;
  /** The copy of settings.json taken before the first change, or null when there was none. */
  settingsBackup: string | null;
  /** settings.json did not exist before install (uninstall removes it again if left empty). */
  createdSettingsFile: boolean;
  /** `<root>/commands/` did not exist before install (uninstall removes it again if left empty). */
  createdCommandsDir: boolean;
  /**
   * `hooks` containers that existed but were empty before install. Uninstall deletes a container
   * our removal empties, except these, so the file comes back as it was.
   */
  keptEmpty: { hooks: boolean; events: string[] };
  /** sha256 (hex) of each slash-command file we wrote, by file name: a different hash means the user edited it. */
  commands: Record<string, string>;
}

export function integrationStatePath(root: string): string {
  return statePaths(root).integrationState;
}

/** Validate parsed JSON; throws a one-line Error naming the bad field. */
export function parseIntegrationState(raw: unknown): IntegrationState {
  if (!isRecord(raw)) throw new Error('not a JSON object');
  if (raw.version !== 1) throw new Error(`unknown version ${JSON.stringify(raw.version)}`);
  if (typeof raw.installedAt !== 'string') throw new Error('installedAt must be a string');
  const previous = raw.previousStatusLine ?? null;
  if (previous !== null && !isRecord(previous)) throw new Error('previousStatusLine must be an object or null');
  const backup = raw.settingsBackup ?? null;
  if (backup !== null && typeof backup !== 'string') throw new Error('settingsBackup must be a string or null');
  const keptEmpty = isRecord(raw.keptEmpty) ? raw.keptEmpty : {};
  const events = Array.isArray(keptEmpty.events) ? keptEmpty.events.filter((e): e is string => typeof e === 'string') : [];
  const commands: Record<string, string> = {};
  if (isRecord(raw.commands)) {
    for (const [name, hash] of Object.entries(raw.commands)) if (typeof hash === 'string') commands[name] = hash;
  }
  return {
    version: 1,
    installedAt: raw.installedAt,
    previousStatusLine: previous,
    settingsBackup: backup,
    createdSettingsFile: raw.createdSettingsFile === true,
    createdCommandsDir: raw.createdCommandsDir === true,
    keptEmpty: { hooks: keptEmpty.hooks === true, events },
    commands,
  };
}

/**
 * The integration state of a config root, or null when cco is not installed there or the file is
 * unreadable. Never throws and never touches the file: safe for the status line, which runs
 * every few hundred milliseconds.
 */
export function readIntegrationState(root: string): IntegrationState | null {
  try {
    return parseIntegrationState(readJsonFileSync(integrationStatePath(root)));
  } catch {
    return null;
  }
}

/** The command of the status line the user had before ours, if it was a command status line. */
export function previousStatusLineCommand(state: IntegrationState | null): string | null {
  const command = state?.previousStatusLine?.command;
  return typeof command === 'string' && command.trim() !== '' ? command : null;
}
