/**
 * The benchmark's reference tool, ccusage, pinned to one version and installed on demand from the
 * npm registry into a cache outside the repository. It is not a devDependency: it ships one native
 * package per platform, and a lock made on one machine records only that machine's, so `npm ci`
 * on a fresh clone failed with the lock out of sync. Only `npm run bench` needs it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The one place the reference version is pinned (the results and the README quote it). */
export const CCUSAGE_VERSION = '20.0.24';

const INSTALL_TIMEOUT_MS = 5 * 60_000;

/** Where it is cached; CCO_BENCH_CACHE overrides (a CI cache, a shared disk). */
export function ccusageCacheDir(version = CCUSAGE_VERSION) {
  const root = process.env.CCO_BENCH_CACHE ?? path.join(os.tmpdir(), 'cco-bench-cache');
  return path.join(root, `ccusage-${version}-${process.platform}-${process.arch}`);
}

function binaryIn(prefix) {
  return path.join(prefix, 'node_modules', '.bin', process.platform === 'win32' ? 'ccusage.cmd' : 'ccusage');
}

/** The version ccusage prints, or why it could not run. */
function probe(binary) {
  if (!fs.existsSync(binary)) return { ok: false, detail: `${binary} is missing` };
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.error) return { ok: false, detail: `${binary} --version failed: ${result.error.message}` };
  return { ok: result.status === 0, detail: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/**
 * Path of the pinned ccusage launcher, installing it first when the cache lacks it. Throws with
 * npm's output when the registry cannot be reached.
 */
export function ensureCcusage(log = () => {}, version = CCUSAGE_VERSION) {
  const target = ccusageCacheDir(version);
  const installed = binaryIn(target);
  const existing = probe(installed);
  if (existing.ok && existing.detail.includes(version)) return installed;

  log(`installing ccusage@${version} into ${target} (once; the bench's reference)`);
  // A private staging directory renamed into place: two bench runs never see a half-written tree.
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.staging-`);
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(
      npm,
      ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--include=optional', `ccusage@${version}`],
      { encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS, env: process.env, shell: process.platform === 'win32' },
    );
    const check = probe(binaryIn(staging));
    if (result.status !== 0 || !check.ok || !check.detail.includes(version)) {
      const npmOutput = `${result.error?.message ?? ''}\n${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new Error(`Cannot install ccusage@${version} into ${staging} (the bench's reference; the npm registry must be reachable).\nnpm exited ${String(result.status)}; check: ${check.detail}\n${npmOutput}`);
    }
    // Another run may have finished first: keep its copy rather than pull it from under it.
    if (!probe(installed).ok) {
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(staging, target);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return installed;
}
