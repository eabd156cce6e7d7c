/**
 * The real Claude Code client for the integration suite, pinned to one version and installed on
 * demand from the npm registry into a cache outside the repository (it is ~400 MB: a devDependency
 * would make every `npm install` download it, and node_modules is shared between worktrees here).
 * The npm package `@anthropic-ai/claude-code` is a wrapper whose postinstall copies the native
 * binary out of a per-platform optional package (`@anthropic-ai/claude-code-linux-x64`, ...); we
 * run that binary directly, so the install needs no lifecycle scripts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The version the facts sheet (shared/spec/claude-code-facts.md) was checked against. */
export const CLAUDE_CODE_VERSION = '2.1.332';

const PACKAGE = '@anthropic-ai/claude-code';
const INSTALL_TIMEOUT_MS = 300_000;

/** `linux-x64`, `linux-x64-musl`, `darwin-arm64`, ...: the suffix of the platform package. */
function platformKey(): string {
  const base = `${process.platform}-${process.arch}`;
  if (process.platform !== 'linux') return base;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime ? base : `${base}-musl`;
}

/** Where the client is cached; CCO_CLAUDE_CODE_CACHE overrides (a CI cache, a shared disk). */
export function clientCacheDir(version = CLAUDE_CODE_VERSION): string {
  const root = process.env.CCO_CLAUDE_CODE_CACHE ?? path.join(os.tmpdir(), 'cco-claude-code-cache');
  return path.join(root, `claude-code-${version}-${platformKey()}`);
}

function binaryIn(prefix: string): string {
  const name = process.platform === 'win32' ? 'claude.exe' : 'claude';
  return path.join(prefix, 'node_modules', `${PACKAGE}-${platformKey()}`, name);
}

/** The version line the binary prints, or why it could not run. */
function probe(binary: string): { ok: boolean; detail: string } {
  if (!fs.existsSync(binary)) return { ok: false, detail: `${binary} is missing` };
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), DISABLE_AUTOUPDATER: '1' } });
  const out = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.error) return { ok: false, detail: `${binary} --version failed: ${result.error.message}` };
  return { ok: result.status === 0, detail: out };
}

/**
 * Path of the pinned client's native binary, installing it first when missing. Throws (the suite
 * fails, it does not skip) with the npm output when the registry cannot be reached.
 */
export function ensureClaudeClient(version = CLAUDE_CODE_VERSION): string {
  const target = clientCacheDir(version);
  const installed = binaryIn(target);
  const existing = probe(installed);
  if (existing.ok && existing.detail.startsWith(version)) return installed;

  // Install into a private staging directory, then rename it into place: two test runs installing
  // at once (several worktrees, a parallel CI job) never see each other's half-written trees.
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.staging-`);
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(
      npm,
      ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--include=optional', `${PACKAGE}@${version}`],
      { encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS, env: process.env },
    );
    const staged = binaryIn(staging);
    const check = probe(staged);
    if (result.status !== 0 || !check.ok || !check.detail.startsWith(version)) {
      const npmOutput = `${result.error?.message ?? ''}\n${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new Error(
        `Cannot install the real Claude Code client ${PACKAGE}@${version} (platform package ${PACKAGE}-${platformKey()}) ` +
          `from the npm registry into ${staging}; this test needs it (the registry must be reachable).\n` +
          `npm exited ${String(result.status)}; binary check: ${check.detail}\n${npmOutput}`,
      );
    }
    // Another run may have finished first: keep its working copy rather than pull it from under it.
    if (!probe(installed).ok) {
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(staging, target);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return installed;
}
