/**
 * The Electron security scan (`npm run scan:electron`, build/scan-electron.mjs): clean on this
 * project with its allow-list, and failing on a window that turns the protections off.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempRoot } from '../helpers/cli.js';

const SCAN = path.join(REPO, 'build', 'scan-electron.mjs');
const scan = (args: string[] = []) => spawnSync(process.execPath, [SCAN, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });

describe('electronegativity scan', () => {
  it('passes on main/app and renderer, every HIGH/MEDIUM finding explained', () => {
    const result = scan();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/no unexplained HIGH or MEDIUM findings/);
  });

  it('fails on an unexplained finding: a window with Node and no isolation, a page without CSP', () => {
    const root = tempRoot('cco-scan-');
    fs.mkdirSync(path.join(root, 'main', 'app'), { recursive: true });
    fs.mkdirSync(path.join(root, 'renderer'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'main', 'app', 'window.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\nvoid w.loadURL('https://example.com');\n",
    );
    fs.writeFileSync(path.join(root, 'renderer', 'index.html'), '<!doctype html><html><body><script src="x.js"></script></body></html>');
    const result = scan(['--root', root]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/HIGH CONTEXT_ISOLATION_JS_CHECK main\/app\/window\.ts:2/);
    expect(result.stderr).toMatch(/MEDIUM SANDBOX_JS_CHECK main\/app\/window\.ts:2/);
    expect(result.stderr).toMatch(/HIGH LIMIT_NAVIGATION_GLOBAL_CHECK/);
    expect(result.stderr).toMatch(/MEDIUM CSP_GLOBAL_CHECK/);
    expect(result.stderr).toMatch(/not explained in \.electronegativity-allowlist\.json/);
  });
});
