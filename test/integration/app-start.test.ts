/**
 * `npm start` (main/app/start.mjs) as a child process: it builds the app, then either says in one
 * line that the Electron binary is missing and what to do, or runs the binary on the built entry.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempRoot } from '../helpers/cli.js';

const START = path.join(REPO, 'main', 'app', 'start.mjs');

function runStart(env: Record<string, string | undefined>) {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, npm_execpath: undefined, ELECTRON_OVERRIDE_DIST_PATH: undefined, ...env })) {
    if (value !== undefined) clean[key] = value;
  }
  return spawnSync(process.execPath, [START], { cwd: REPO, env: clean, encoding: 'utf8', timeout: 60_000 });
}

describe('npm start', () => {
  it('without the Electron binary: exit 1 and one clear line saying what to do', () => {
    const result = runStart({ CCO_ELECTRON_DOWNLOAD: '0' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cco: the Electron binary is not installed .*npx install-electron.*then npm start$/);
    expect(fs.existsSync(path.join(REPO, 'dist', 'app', 'main.mjs'))).toBe(true);
    expect(fs.existsSync(path.join(REPO, 'dist', 'app', 'preload.cjs'))).toBe(true);
  });

  it('on a Node older than Electron\'s installer declares, with no binary yet: one line naming the Node to switch to, no download tried', () => {
    const electronPackage = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string; engines: { node: string } };
    const floor = /(\d+)\.(\d+)\.(\d+)/.exec(electronPackage.engines.node);
    if (!floor) throw new Error(`electron declares no Node floor: ${electronPackage.engines.node}`);
    const below = `${Number(floor[1]) - 1}.9.0`;
    // An empty override folder: the binary is missing, and a download would be the next step.
    const result = runStart({ CCO_START_NODE_VERSION: below, ELECTRON_OVERRIDE_DIST_PATH: tempRoot('cco-no-electron-') });
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `cco: fetching Electron ${electronPackage.version} needs Node >= ${floor.slice(1, 4).join('.')} (this is Node ${below}): switch to Node ${floor[1]} (e.g. "nvm install ${floor[1]}"), then npm start; the cco CLI alone runs on Node 20.19+`,
    );
    // At the floor itself the check passes and the usual missing-binary line follows (download off: no network here).
    const atFloor = runStart({ CCO_START_NODE_VERSION: floor.slice(1, 4).join('.'), CCO_ELECTRON_DOWNLOAD: '0', ELECTRON_OVERRIDE_DIST_PATH: tempRoot('cco-no-electron-') });
    expect(atFloor.status).toBe(1);
    expect(atFloor.stderr).toMatch(/^cco: the Electron binary is not installed /);
  });

  it.skipIf(process.platform === 'win32')('with a binary: runs it on the built main process and passes its exit code on', () => {
    const dir = tempRoot('cco-fake-electron-');
    const record = path.join(dir, 'args.txt');
    const binary = path.join(dir, 'electron');
    fs.writeFileSync(binary, `#!/bin/sh\necho "$@" > "${record}"\nexit 3\n`, { mode: 0o755 });
    const result = runStart({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
    expect(fs.readFileSync(record, 'utf8').trim()).toBe(path.join(REPO, 'dist', 'app', 'main.mjs'));
  });
});
