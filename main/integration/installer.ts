/**
 * The file side of `cco install` / `cco uninstall`: read settings.json, the command files and our
 * state under the settings.json lock, apply the pure plans, write everything atomically, and undo
 * what was already written when a later write fails, so nothing is left half-installed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { errorMessage, readJsonStateSync, removeStaleTempFiles } from '../core/store.js';
import { backupSettings, pruneSettingsBackups } from './backups.js';
import { planCommandFiles, planCommandRemoval, renderSlashCommands, type CommandFilePlan, type CommandRemovalAction } from './commands.js';
import { unifiedDiff } from './diff.js';
import { planInstall, planUninstall, SettingsShapeError, type PlannedChange } from './settings-plan.js';
import { findCcoBin, type CliTarget } from './shell.js';
import { fsCode, IntegrationError, locked, readText, runTransaction } from './transaction.js';
import { integrationStatePath, parseIntegrationState, readIntegrationState, type IntegrationState } from './state.js';

export { IntegrationError };

export interface IntegrationOptions {
  /** The config root (absolute). */
  root: string;
  dryRun?: boolean;
  now?: Date;
  /** Defaults: process.execPath, this package's bin/cco.js, process.platform. */
  nodePath?: string;
  ccoBin?: string;
  platform?: NodeJS.Platform;
}

export interface CommandFileReport {
  file: string;
  action: CommandFilePlan['action'] | CommandRemovalAction;
}

export interface IntegrationReport {
  root: string;
  /** Nothing needed doing (already installed / not installed). */
  unchanged: boolean;
  dryRun: boolean;
  settingsFile: string;
  settingsChanges: PlannedChange[];
  commands: CommandFileReport[];
  /** The copy of settings.json taken before this run's change, or null when none was needed. */
  backup: string | null;
  /** settings.json before → after; empty when it does not change. */
  diff: string;
  notes: string[];
  warnings: string[];
}

export function settingsFilePath(root: string): string {
  return path.join(root, 'settings.json');
}

export function commandsDir(root: string): string {
  return path.join(root, 'commands');
}

export function cliTarget(opts: IntegrationOptions): CliTarget {
  return {
    nodePath: opts.nodePath ?? process.execPath,
    ccoBin: opts.ccoBin ?? findCcoBin(),
    root: opts.root,
    platform: opts.platform ?? process.platform,
  };
}

/** The settings text and its parsed value (undefined when absent or blank). Invalid JSON is an IntegrationError. */
function readSettings(file: string): { text: string | null; value: unknown } {
  let text: string | null;
  try {
    text = readText(file);
  } catch (error) {
    throw new IntegrationError(`cannot read ${file}: ${errorMessage(error)}`);
  }
  if (text === null || text.trim() === '') return { text, value: undefined };
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new IntegrationError(
      `${file} is not valid JSON (${errorMessage(error, 80)}); left untouched. Claude Code reads it as strict JSON ` +
        '(no comments, no trailing commas): fix it, then run the command again',
    );
  }
}

/** Run a pure plan, naming the file in a shape error. */
function planned<T>(settingsFile: string, plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (error instanceof SettingsShapeError) throw new IntegrationError(`${settingsFile}: ${error.message}`);
    throw error;
  }
}

export function formatSettings(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The state file: a corrupt one is moved aside (kept for the user) on a real run, only reported on a dry run. */
function loadState(root: string, dryRun: boolean, warnings: string[]): IntegrationState | null {
  const file = integrationStatePath(root);
  if (dryRun) {
    const state = readIntegrationState(root);
    if (state === null && fs.existsSync(file)) warnings.push(`${file} is not readable; a real run moves it aside`);
    return state;
  }
  try {
    const { value, warning } = readJsonStateSync(file, parseIntegrationState);
    if (warning !== null) warnings.push(warning);
    return value;
  } catch (error) {
    throw new IntegrationError(errorMessage(error, 300));
  }
}

function readCommandFiles(root: string, files: string[]): Map<string, string | null> {
  const existing = new Map<string, string | null>();
  for (const file of files) {
    const full = path.join(commandsDir(root), file);
    try {
      existing.set(file, readText(full));
    } catch (error) {
      if (fsCode(error) === 'ENOTDIR') existing.set(file, null);
      else throw new IntegrationError(`cannot read ${full}: ${errorMessage(error)}`);
    }
  }
  return existing;
}

function existingBackup(state: IntegrationState | null): string | null {
  const kept = state?.settingsBackup ?? null;
  return kept !== null && fs.existsSync(kept) ? kept : null;
}

/** Install (or refresh) hooks, status line and slash commands in `opts.root`. */
export function installIntegration(opts: IntegrationOptions): IntegrationReport {
  const dryRun = opts.dryRun ?? false;
  const now = opts.now ?? new Date();
  const target = cliTarget(opts);
  const root = target.root;
  const settingsFile = settingsFilePath(root);
  const rendered = renderSlashCommands(target);

  return locked(settingsFile, root, dryRun, () => {
    const warnings: string[] = [];
    const { text, value } = readSettings(settingsFile);
    const state = loadState(root, dryRun, warnings);
    const plan = planned(settingsFile, () => planInstall(value, { target, state }));
    const nextText = formatSettings(plan.nextSettings);
    const settingsChange = plan.changes.length > 0;
    const files = planCommandFiles(rendered, readCommandFiles(root, rendered.map((r) => r.file)), state?.commands ?? {});
    const notes = files
      .filter((f) => f.action === 'skip-foreign' || f.action === 'skip-modified')
      .map((f) =>
        f.action === 'skip-foreign'
          ? `commands/${f.file} is your own file: left in place, so /${f.file.replace(/\.md$/, '')} stays yours`
          : `commands/${f.file} was edited since cco install: left as you have it`,
      );
    for (const f of files) {
      if (f.wideGrant) {
        warnings.push(
          `commands/${f.file} pre-approves every cco command (allowed-tools with a "*" pattern, as older cco installs wrote it) ` +
            'and was left in place because it was edited or is not ours: delete it and run cco install again, or narrow its grant',
        );
      }
    }
    const commands = files.map((f) => ({ file: f.file, action: f.action }));
    const toWrite = files.filter((f) => f.action === 'write');
    const recorded: Record<string, string> = {};
    for (const f of files) if (f.recordSha256 !== null) recorded[f.file] = f.recordSha256;
    const report = (extra: Partial<IntegrationReport>): IntegrationReport => ({
      root,
      unchanged: false,
      dryRun,
      settingsFile,
      settingsChanges: plan.changes,
      commands,
      backup: null,
      diff: settingsChange ? unifiedDiff(text ?? '', nextText, { before: 'settings.json (now)', after: 'settings.json (after cco install)' }) : '',
      notes,
      warnings,
      ...extra,
    });

    if (dryRun) return report(!settingsChange && toWrite.length === 0 && state !== null ? { unchanged: true } : {});
    // Temp files that interrupted writes of ours left in the root (and commands/) go at install.
    removeStaleTempFiles(root);
    removeStaleTempFiles(commandsDir(root));
    if (!settingsChange && toWrite.length === 0 && state !== null) return report({ unchanged: true });

    const result = runTransaction(root, (tx) => {
      let backup: string | null = null;
      if (settingsChange && text !== null) backup = backupSettings(tx, settingsFile, text, now);
      const dir = commandsDir(root);
      const createdDir = toWrite.length > 0 ? tx.mkdir(dir) : false;
      for (const f of toWrite) tx.write(path.join(dir, f.file), f.content);
      const nextState: IntegrationState = {
        version: 1,
        installedAt: now.toISOString(),
        previousStatusLine: plan.previousStatusLine,
        settingsBackup: existingBackup(state) ?? backup,
        createdSettingsFile: state?.createdSettingsFile ?? (text === null && settingsChange),
        createdCommandsDir: (state?.createdCommandsDir ?? false) || createdDir,
        keptEmpty: plan.keptEmpty,
        commands: recorded,
      };
      tx.write(integrationStatePath(root), formatSettings(nextState));
      if (settingsChange) tx.write(settingsFile, nextText);
      return report({ backup });
    });
    pruneSettingsBackups(settingsFile, existingBackup(state) ?? result.backup);
    return result;
  });
}

/** Remove what install added to `opts.root`, leaving everything of the user's as it is now. */
export function uninstallIntegration(opts: IntegrationOptions): IntegrationReport {
  const dryRun = opts.dryRun ?? false;
  const now = opts.now ?? new Date();
  const target = cliTarget(opts);
  const root = target.root;
  const settingsFile = settingsFilePath(root);
  const statePath = integrationStatePath(root);
  const rendered = renderSlashCommands(target);

  return locked(settingsFile, root, dryRun, () => {
    const warnings: string[] = [];
    const { text, value } = readSettings(settingsFile);
    const stateExists = fs.existsSync(statePath);
    const state = loadState(root, dryRun, warnings);
    const plan = planned(settingsFile, () => planUninstall(value, state));
    const settingsChange = plan.changes.length > 0;
    const nextText = formatSettings(plan.nextSettings);
    // A settings.json that install created and that holds nothing else now goes away again.
    const deleteSettings = settingsChange && state?.createdSettingsFile === true && Object.keys(plan.nextSettings).length === 0;
    const removal = planCommandRemoval(rendered, readCommandFiles(root, rendered.map((r) => r.file)), state?.commands ?? {});
    const notes = [...plan.notes];
    for (const r of removal) {
      if (r.action === 'keep-modified') notes.push(`commands/${r.file} was edited since cco install: left in place (delete it yourself if you no longer want it)`);
    }
    const toRemove = removal.filter((r) => r.action === 'remove');
    const report = (extra: Partial<IntegrationReport>): IntegrationReport => ({
      root,
      unchanged: false,
      dryRun,
      settingsFile,
      settingsChanges: plan.changes,
      commands: removal.filter((r) => r.action !== 'absent' && r.action !== 'keep-foreign'),
      backup: null,
      diff: settingsChange ? unifiedDiff(text ?? '', deleteSettings ? '' : nextText, { before: 'settings.json (now)', after: 'settings.json (after cco uninstall)' }) : '',
      notes,
      warnings,
      ...extra,
    });

    if (!settingsChange && toRemove.length === 0 && !stateExists) return report({ unchanged: true });
    if (dryRun) return report({});

    const result = runTransaction(root, (tx) => {
      let backup: string | null = null;
      if (settingsChange && text !== null) {
        backup = backupSettings(tx, settingsFile, text, now);
        if (deleteSettings) tx.remove(settingsFile);
        else tx.write(settingsFile, nextText);
      }
      for (const r of toRemove) tx.remove(path.join(commandsDir(root), r.file));
      tx.remove(statePath);
      const dir = commandsDir(root);
      if (state?.createdCommandsDir) {
        try {
          if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
        } catch {
          // Not there, or not empty after all: either way it is not in the way.
        }
      }
      return report({ backup });
    });
    // The copy from before the first install is what uninstall's note points to: kept.
    pruneSettingsBackups(settingsFile, existingBackup(state));
    return result;
  });
}

/** For `cco statusline` and diagnostics: whether our integration is installed in `root`. */
export function isInstalled(root: string): boolean {
  return readIntegrationState(root) !== null;
}
