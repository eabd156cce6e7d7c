import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInstall, runUninstall } from '../../main/cli/install.js';
import type { Io } from '../../main/cli/io.js';
import { SLASH_COMMANDS } from '../../main/integration/commands.js';
import { installIntegration, uninstallIntegration } from '../../main/integration/installer.js';
import { previousStatusLineCommand, readIntegrationState } from '../../main/integration/state.js';

let root = '';
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-install-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const settingsFile = (): string => path.join(root, 'settings.json');
const NOW = new Date('2026-01-06T14:30:00.000Z');

function fakeIo(): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    env: { HOME: os.tmpdir() },
    stdoutStream: {},
  };
  return io;
}

/** Every file under root with its content: a cheap "nothing was written" check. */
function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = entry.isFile() ? fs.readFileSync(full, 'utf8') : '<dir>';
  }
  return out;
}

const USER_SETTINGS = `{
  "model": "opus",
  "hooks": {
    "SessionStart": [
      { "matcher": "startup", "hooks": [{ "type": "command", "command": "echo hi" }] }
    ]
  },
  "statusLine": { "type": "command", "command": "~/bin/my-status.sh" }
}
`;

describe('installIntegration / uninstallIntegration on real files', () => {
  it('installs, saves a backup and the previous status line, and uninstalls back to deep-equal', () => {
    fs.writeFileSync(settingsFile(), USER_SETTINGS);
    const report = installIntegration({ root, now: NOW });
    expect(report.unchanged).toBe(false);
    expect(report.backup).toBe(path.join(root, 'settings.json.cco-backup-2026-01-06T14-30-00.000Z'));
    expect(fs.readFileSync(report.backup ?? '', 'utf8')).toBe(USER_SETTINGS);

    const state = readIntegrationState(root);
    expect(state?.previousStatusLine).toEqual({ type: 'command', command: '~/bin/my-status.sh' });
    expect(previousStatusLineCommand(state)).toBe('~/bin/my-status.sh');
    expect(state?.settingsBackup).toBe(report.backup);
    expect(Object.keys(state?.commands ?? {})).toEqual(SLASH_COMMANDS.map((s) => s.file));
    expect(fs.existsSync(`${settingsFile()}.lock`)).toBe(false);

    const installed = fs.readFileSync(settingsFile(), 'utf8');
    expect(installIntegration({ root }).unchanged).toBe(true);
    expect(fs.readFileSync(settingsFile(), 'utf8')).toBe(installed);

    uninstallIntegration({ root });
    expect(JSON.parse(fs.readFileSync(settingsFile(), 'utf8'))).toEqual(JSON.parse(USER_SETTINGS));
    expect(fs.existsSync(path.join(root, 'commands'))).toBe(false);
    expect(readIntegrationState(root)).toBeNull();
    expect(uninstallIntegration({ root }).unchanged).toBe(true);
  });

  it('creates settings.json when there is none, and removes it again on uninstall', () => {
    installIntegration({ root });
    expect(readIntegrationState(root)?.createdSettingsFile).toBe(true);
    expect(readIntegrationState(root)?.settingsBackup).toBeNull();
    uninstallIntegration({ root });
    expect(fs.readdirSync(root).filter((f) => !f.includes('cco-backup'))).toEqual([]);
  });

  it('keeps user edits made between install and uninstall', () => {
    fs.writeFileSync(settingsFile(), USER_SETTINGS);
    installIntegration({ root });
    const edited = JSON.parse(fs.readFileSync(settingsFile(), 'utf8')) as Record<string, unknown>;
    edited.theme = 'dark';
    fs.writeFileSync(settingsFile(), JSON.stringify(edited, null, 2));
    uninstallIntegration({ root });
    expect(JSON.parse(fs.readFileSync(settingsFile(), 'utf8'))).toEqual({ ...JSON.parse(USER_SETTINGS), theme: 'dark' });
  });

  it('leaves a command file the user edited, and one of their own, with a note', () => {
    const commands = path.join(root, 'commands');
    fs.mkdirSync(commands);
    fs.writeFileSync(path.join(commands, 'session-status.md'), 'my own /session-status\n');
    installIntegration({ root });
    expect(fs.readFileSync(path.join(commands, 'session-status.md'), 'utf8')).toBe('my own /session-status\n');
    fs.appendFileSync(path.join(commands, 'context-status.md'), 'Also mention the time.\n');

    const report = uninstallIntegration({ root });
    expect(report.notes.join('\n')).toContain('commands/context-status.md was edited');
    expect(fs.readdirSync(commands).sort()).toEqual(['context-status.md', 'session-status.md']);
  });

  it('--dry-run writes nothing, and shows the change', () => {
    fs.writeFileSync(settingsFile(), USER_SETTINGS);
    const before = snapshotTree(root);
    const report = installIntegration({ root, dryRun: true });
    expect(snapshotTree(root)).toEqual(before);
    expect(report.diff).toContain('+++ settings.json (after cco install)');
    expect(report.diff).toContain('-  "statusLine": { "type": "command", "command": "~/bin/my-status.sh" }');

    const io = fakeIo();
    expect(runInstall(['--dry-run', '--config-dir', root], io)).toBe(0);
    expect(io.out).toContain('nothing written');
    expect(io.out).toContain('+ hook SessionStart');
    expect(snapshotTree(root)).toEqual(before);

    installIntegration({ root });
    const installedTree = snapshotTree(root);
    const un = uninstallIntegration({ root, dryRun: true });
    expect(un.diff).toContain('+++ settings.json (after cco uninstall)');
    expect(snapshotTree(root)).toEqual(installedTree);
  });

  it.each([
    ['with comments', '{\n  // my model\n  "model": "opus"\n}\n'],
    ['with a trailing comma', '{ "model": "opus", }'],
    ['truncated', '{ "model": '],
  ])('refuses settings.json %s: untouched, one line, exit 1', (_name, content) => {
    fs.writeFileSync(settingsFile(), content);
    for (const run of [runInstall, runUninstall]) {
      const io = fakeIo();
      expect(run(['--config-dir', root], io)).toBe(1);
      expect(io.err.trimEnd().split('\n')).toHaveLength(1);
      expect(io.err).toContain('is not valid JSON');
      expect(io.out).toBe('');
      expect(fs.readFileSync(settingsFile(), 'utf8')).toBe(content);
      expect(fs.readdirSync(root)).toEqual(['settings.json']);
    }
  });

  it('refuses a settings.json whose hooks it cannot merge into', () => {
    fs.writeFileSync(settingsFile(), '{"hooks": []}');
    const io = fakeIo();
    expect(runInstall(['--config-dir', root], io)).toBe(1);
    expect(io.err).toMatch(/settings\.json: "hooks" in settings\.json is not an object/);
    expect(fs.readdirSync(root)).toEqual(['settings.json']);
  });

  it('undoes everything when a write fails half-way (commands/ is a file)', () => {
    fs.writeFileSync(settingsFile(), USER_SETTINGS);
    fs.writeFileSync(path.join(root, 'commands'), 'in the way');
    const before = snapshotTree(root);
    const io = fakeIo();
    expect(runInstall(['--config-dir', root], io)).toBe(1);
    expect(io.err).toMatch(/^cco install: cannot write .*commands.*nothing was changed\n$/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('moves a corrupt state file aside with a warning and carries on', () => {
    fs.writeFileSync(path.join(root, 'cco-integration.json'), '{not json');
    const report = installIntegration({ root });
    expect(report.warnings.join()).toContain('moved aside');
    expect(fs.readdirSync(root).some((f) => f.startsWith('cco-integration.json.corrupt-'))).toBe(true);
    expect(readIntegrationState(root)).not.toBeNull();
  });

  it('reports a missing config dir as a usage error (exit 2)', () => {
    const io = fakeIo();
    expect(runInstall(['--config-dir', path.join(root, 'nope')], io)).toBe(2);
    expect(io.err).toContain('config directory not found');
    expect(runInstall(['--bogus'], fakeIo())).toBe(2);
  });

  it('prints help', () => {
    const io = fakeIo();
    expect(runUninstall(['--help'], io)).toBe(0);
    expect(io.out).toContain('usage: cco uninstall');
  });
});
