/**
 * The built main process (dist/app/main.mjs, what `npm start` and the packaged app run) boots:
 * in a child Node whose `electron` resolves to the fake module, over a real config root, it
 * creates the popover window on our page, the tray, the IPC handlers, and quits cleanly.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { REPO, tempRoot } from '../helpers/cli.js';

// Its own output directory (beside dist/app, so the bundle finds renderer/ the same way), so that
// `npm start`'s test building dist/app at the same time cannot hand it a half-written file.
const OUT = path.join(REPO, 'dist', `app-test-${process.pid}`);
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

describe('the bundled main process', () => {
  it('boots on a config root and quits cleanly', async () => {
    const built = spawnSync(process.execPath, [path.join(REPO, 'build', 'build-app.mjs'), '--outdir', OUT], { cwd: REPO, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const preload = fs.readFileSync(path.join(OUT, 'preload.cjs'), 'utf8');
    expect(preload).toMatch(/require\("electron"\)/);
    expect(preload).not.toMatch(/require\("(node:)?(fs|child_process|path)"\)/);

    const work = tempRoot('cco-bundle-');
    const fake = path.join(work, 'fake-electron.mjs');
    await build({ entryPoints: [path.join(REPO, 'test', 'fakes', 'electron.ts')], bundle: true, platform: 'node', format: 'esm', outfile: fake, logLevel: 'warning' });
    fs.writeFileSync(
      path.join(work, 'hooks.mjs'),
      `export async function resolve(specifier, context, next) {\n  if (specifier === 'electron') return { url: ${JSON.stringify(pathToFileURL(fake).href)}, shortCircuit: true };\n  return next(specifier, context);\n}\n`,
    );
    fs.writeFileSync(path.join(work, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(work, 'hooks.mjs')).href)});\n`);
    fs.writeFileSync(
      path.join(work, 'run.mjs'),
      `import { fakeElectron } from 'electron';
await import(${JSON.stringify(pathToFileURL(path.join(OUT, 'main.mjs')).href)});
const until = async (probe) => { for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 25)); };
await until(() => fakeElectron.Tray.instances[0]?.tooltip.includes('% used'));
const tray = fakeElectron.Tray.instances[0];
const window = fakeElectron.BrowserWindow.instances[0];
const report = { tooltip: tray?.tooltip, page: window?.loadedUrl, preload: window?.options.webPreferences.preload, handlers: fakeElectron.ipcMain.handlers.size };
fakeElectron.app.quit();
await until(() => fakeElectron.app.quitCalls === 2);
report.quitCalls = fakeElectron.app.quitCalls;
report.handlersAfterQuit = fakeElectron.ipcMain.handlers.size;
console.log(JSON.stringify(report));
process.exit(0);
`,
    );
    const root = tempRoot('cco-bundle-root-');
    writeTranscript(root, 'session', [assistantLine({ messageId: 'msg_1', timestamp: new Date(Date.now() - 5 * 60_000).toISOString(), input: 30_000, output: 20_000 })]);
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(work, 'register.mjs')).href, path.join(work, 'run.mjs')], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, CLAUDE_CONFIG_DIR: root },
    });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(report).toEqual({
      tooltip: expect.stringMatching(/^Claude Code Optimizer: 25% used \(GOOD\) · resets in 4h 5\dm$/) as unknown,
      page: pathToFileURL(path.join(REPO, 'renderer', 'index.html')).href,
      preload: path.join(OUT, 'preload.cjs'),
      handlers: 10,
      quitCalls: 2,
      handlersAfterQuit: 0,
    });
  });
});
