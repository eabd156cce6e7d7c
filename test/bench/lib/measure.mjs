/**
 * Run a command as a child process and measure its wall time and peak RSS.
 * Peak RSS comes from GNU time (`/usr/bin/time -f '%e %M'`: ru_maxrss of the child, which covers
 * its reaped descendants too, e.g. ccusage's node launcher + native binary) or, without it, from
 * polling VmHWM in /proc/<pid>/status of the child and its descendants until exit.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const GNU_TIME = '/usr/bin/time';

export function hasGnuTime() {
  return existsSync(GNU_TIME);
}

function vmHwmKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function descendants(pid) {
  const out = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop();
    let tasks = [];
    try { tasks = readdirSync(`/proc/${p}/task`); } catch { continue; }
    for (const t of tasks) {
      let kids = '';
      try { kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8'); } catch { /* gone */ }
      for (const k of kids.split(/\s+/).filter(Boolean)) { out.push(Number(k)); stack.push(Number(k)); }
    }
  }
  return out;
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{env?: object, cwd?: string, procPolling?: boolean}} [o] procPolling: ignore GNU time
 * @returns {Promise<{ok: boolean, code: number|null, signal: string|null, wallMs: number, rssKb: number|null, stdout: string, stderr: string, error?: string}>}
 */
export function measure(cmd, args, o = {}) {
  const useTime = hasGnuTime() && !o.procPolling && process.env.BENCH_PROC_POLLING !== '1';
  const tmp = useTime ? mkdtempSync(path.join(tmpdir(), 'cco-bench-')) : null;
  const timeFile = tmp ? path.join(tmp, 'time.txt') : null;
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = useTime
      ? spawn(GNU_TIME, ['-f', '%e %M', '-o', timeFile, cmd, ...args], { env: o.env ?? process.env, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(cmd, args, { env: o.env ?? process.env, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    let peak = 0;
    let poll = null;
    if (!useTime) {
      poll = setInterval(() => {
        if (child.pid === undefined) return;
        let sum = 0;
        for (const p of [child.pid, ...descendants(child.pid)]) sum = Math.max(sum, vmHwmKb(p));
        peak = Math.max(peak, sum);
      }, 10);
    }
    let spawnError;
    child.on('error', (e) => { spawnError = e; });
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      let rssKb = useTime ? null : peak || null;
      let stderr = Buffer.concat(err).toString('utf8');
      if (useTime) {
        try {
          const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
          const m = /^([\d.]+) (\d+)$/.exec(lines[lines.length - 1]);
          if (m) rssKb = Number(m[2]);
          // GNU time writes "Command exited with non-zero status N" before the format line.
          if (lines.length > 1) stderr += lines.slice(0, -1).join('\n');
        } catch { /* time itself failed */ }
        rmSync(tmp, { recursive: true, force: true });
      }
      resolve({
        ok: spawnError === undefined && code === 0,
        code,
        signal,
        wallMs,
        rssKb,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        ...(spawnError ? { error: spawnError.message } : {}),
      });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
