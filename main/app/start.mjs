#!/usr/bin/env node
// `npm start`: builds the app (main process, preload, and the popover when its build script
// exists), then runs it in Electron. Where the Electron binary is missing and cannot be fetched
// (as on the build machines, with no route to Electron's release host), it says so in one line
// with what to do, and exits 1.
//
// Since Electron 42 the npm package no longer downloads the binary when installed; it fetches it
// on first use. Set CCO_ELECTRON_DOWNLOAD=0 to skip that attempt.
//
// Node: the cco CLI runs on Node 20.19+, but Electron's install tooling declares a newer Node
// (electron 45: >= 22.12). Building and running an Electron binary already in place works on the
// CLI's Node; fetching it does not, so on an older Node npm start says so in one line instead of
// trying. The version compared is the engine range the installed electron package declares.
// CCO_START_NODE_VERSION stands in for this Node's version (tests).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** The Electron executable the npm package points at, or null when it is not on disk. */
export function electronBinary(env = process.env) {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, packageDir: null };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return { path: fs.existsSync(candidate) ? candidate : null, packageDir };
  }
  if (!relative) return { path: null, packageDir };
  const candidate = path.join(packageDir, 'dist', relative);
  return { path: fs.existsSync(candidate) ? candidate : null, packageDir };
}

/**
 * The lowest Node the installed electron package declares (`engines.node` ">= 22.12.0"), or null
 * when it declares none or a range this simple reading does not cover (then nothing is checked).
 */
export function electronNodeFloor(packageDir) {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    const match = /^\s*>=\s*v?(\d+)\.(\d+)\.(\d+)\s*$/.exec(String(manifest.engines?.node ?? ''));
    return match ? { version: match.slice(1, 4).join('.'), parts: match.slice(1, 4).map(Number), electron: String(manifest.version ?? '') } : null;
  } catch {
    return null;
  }
}

/** Whether `version` ("20.18.0", "v22.12.0") is below `floor` ([22, 12, 0]). */
export function olderThan(version, floor) {
  const parts = version.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < 3; i += 1) {
    if ((parts[i] ?? 0) !== floor[i]) return (parts[i] ?? 0) < floor[i];
  }
  return false;
}

function fail(text) {
  process.stderr.write(`cco: ${text}\n`);
  process.exit(1);
}

async function main() {
  const { buildApp } = await import(path.join(rootDir, 'build', 'build-app.mjs'));
  const built = await buildApp();
  // The popover page is built by its own script (renderer/), when the project has one.
  if (process.env.npm_execpath) {
    const renderer = spawnSync(process.execPath, [process.env.npm_execpath, 'run', '--silent', '--if-present', 'bundle:renderer'], { cwd: rootDir, stdio: 'inherit' });
    if (renderer.status !== 0) fail('the popover did not build (npm run bundle:renderer failed; see above)');
  }

  let binary = electronBinary();
  if (binary.packageDir === null) fail('the electron package is not installed: run npm install, then npm start');
  if (binary.path === null && process.env.CCO_ELECTRON_DOWNLOAD !== '0') {
    const floor = electronNodeFloor(binary.packageDir);
    const node = process.env.CCO_START_NODE_VERSION || process.versions.node;
    if (floor && olderThan(node, floor.parts)) {
      fail(`fetching Electron ${floor.electron} needs Node >= ${floor.version} (this is Node ${node.replace(/^v/, '')}): switch to Node ${floor.parts[0]} (e.g. "nvm install ${floor.parts[0]}"), then npm start; the cco CLI alone runs on Node 20.19+`);
    }
    // First run: the package's own installer fetches the binary (quietly; a failure is reported below).
    spawnSync(process.execPath, [path.join(binary.packageDir, 'install.js')], { stdio: 'ignore', timeout: 10 * 60_000 });
    binary = electronBinary();
  }
  if (binary.path === null) {
    fail('the Electron binary is not installed and could not be downloaded here: on a machine that can reach github.com run "npx install-electron" (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron), then npm start');
  }

  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary.path, [built.main, ...process.argv.slice(2)], { stdio: 'inherit', env, cwd: rootDir });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
}
