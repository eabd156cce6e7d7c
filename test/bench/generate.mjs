#!/usr/bin/env node
/**
 * Synthetic Claude Code config root for `npm run bench`, in the real transcript schema
 * (shared/spec/claude-code-facts.md §1-§2): ~28 days of history (GBs, weeks old, working-hour
 * bursts) and a live ACTIVE WINDOW (sessions from now-2h40m to now-1m after a gap of 6h+).
 *
 *   node test/bench/generate.mjs --out DIR [--size-gb 2.1] [--files 2000] [--seed 1]
 *                                [--now ISO|ms] [--active-only] [--legacy-active]
 *
 * The history depends only on (seed, totalBytes, files, UTC day of `now`), so it can be reused;
 * `writeActiveWindow` rewrites only `projects/-home-dev-code-active-*`. `DIR/bench-meta.json` says
 * what was generated, with the exact expected token totals of the active window.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from './lib/rng.mjs';
import { buildPools } from './lib/text-pool.mjs';
import { FileSink, TranscriptWriter, addUsage, emptyTotals } from './lib/transcript-writer.mjs';

/** Bump when the output format changes: cached history with another version is regenerated. */
export const GENERATOR_VERSION = 2;
export const META_FILE = 'bench-meta.json';
export const ACTIVE_PREFIX = '-home-dev-code-active-';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WORK_START_H = 8;
const WORK_END_H = 19;
/** History ends this long before the UTC midnight of `now`: >= 6h before any active window of that day. */
const HISTORY_CUTOFF_BEFORE_MIDNIGHT = 9 * HOUR;
const HISTORY_DAYS = 28;
/** Versions before 2.1.97 write a placeholder output_tokens on the earlier lines of a response. */
const OLD_VERSIONS = ['2.1.9', '2.1.31', '2.1.62', '2.1.88', '2.1.96'];
const NEW_VERSIONS = ['2.1.201', '2.1.214', '2.1.223', '2.1.240'];
const MAIN_MODELS = ['claude-opus-4-6', 'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-sonnet-4-5-20250929'];
const SUB_MODELS = ['claude-haiku-4-5-20251001', 'claude-sonnet-4-6'];
const BRANCHES = ['main', 'main', 'main', 'develop', 'feature/quota-window', 'fix/torn-lines', ''];

const PROJECT_NAMES = [
  'invoice-api', 'web-dashboard', 'mobile-app', 'data-pipeline', 'infra', 'docs-site', 'auth-service',
  'billing', 'search-indexer', 'cli-tools', 'design-system', 'ml-experiments', 'notifications',
  'payments-gateway', 'admin-portal', 'etl-jobs', 'analytics', 'chat-widget', 'scheduler', 'gateway',
  'storage-sync', 'image-resizer', 'pdf-export', 'feature-flags', 'rate-limiter', 'audit-log', 'crm',
  'inventory', 'shipping', 'recommendations', 'email-templates', 'status-page', 'sdk-js', 'sdk-python',
  'terraform-modules', 'k8s-manifests', 'my.site_v2', 'dotfiles', 'blog', 'game-jam 2026',
];

/** Claude Code's project folder name: every non-alphanumeric character becomes `-`. */
export function encodeCwd(cwd) {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

function utcMidnight(ms) {
  return Math.floor(ms / DAY) * DAY;
}

function projectList() {
  return PROJECT_NAMES.map((name, i) => {
    const cwd = i % 5 === 4 ? `/home/dev/work/acme/${name}` : `/home/dev/code/${name}`;
    return { cwd, dir: encodeCwd(cwd) };
  });
}

/**
 * Map working time onto the wall clock: work happens 08:00-19:00 UTC, mostly on weekdays.
 * Returns segments so that `timeAt(fraction)` is cheap.
 */
function workSegments(rng, startMs, workMs) {
  const segs = [];
  let t = startMs;
  let left = workMs;
  let done = 0;
  for (;;) {
    const dayEnd = utcMidnight(t) + WORK_END_H * HOUR;
    const len = Math.min(left, Math.max(0, dayEnd - t));
    segs.push({ real: t, work: done, len });
    left -= len;
    done += len;
    if (left <= 0) break;
    let next = utcMidnight(t) + DAY;
    while ([0, 6].includes(new Date(next).getUTCDay()) && rng.chance(0.8)) next += DAY;
    t = next + WORK_START_H * HOUR + rng.int(0, 60) * MIN;
  }
  const total = workMs;
  return {
    end: segs[segs.length - 1].real + segs[segs.length - 1].len,
    timeAt(frac) {
      const w = frac * total;
      let s = segs[0];
      for (const seg of segs) if (seg.work <= w) s = seg;
      return s.real + Math.min(w - s.work, s.len);
    },
  };
}

function pickStart(rng, fromMs, toMs) {
  for (;;) {
    const day = utcMidnight(fromMs + rng.next() * (toMs - fromMs));
    const dow = new Date(day).getUTCDay();
    if ((dow === 0 || dow === 6) && rng.chance(0.8)) continue;
    return day + WORK_START_H * HOUR + rng.int(0, (WORK_END_H - WORK_START_H - 1) * 60) * MIN;
  }
}

/** Plan every history file: path, size target, time range, version. Cheap, deterministic. */
function planHistory({ dir, totalBytes, files, now, seed }) {
  const rng = new Rng(seed * 2654435761);
  const projects = projectList();
  const projWeights = projects.map((_, i) => 1 / (i + 1) ** 0.8);
  const midnight = utcMidnight(now);
  const cutoff = midnight - HISTORY_CUTOFF_BEFORE_MIDNIGHT - 30 * MIN;
  const from = midnight - HISTORY_DAYS * DAY;
  const legacyBefore = midnight - 7 * DAY;

  const nSub = Math.round(files * 0.1);
  const nMain = Math.max(1, files - nSub);
  const nBig = Math.max(1, Math.round(nMain * 0.006));
  let big = Array.from({ length: nBig }, () => rng.float(20e6, 80e6));
  const bigSum = big.reduce((a, b) => a + b, 0);
  if (bigSum > 0.35 * totalBytes) big = big.map((b) => (b * 0.35 * totalBytes) / bigSum);
  const rest = totalBytes - big.reduce((a, b) => a + b, 0);
  const normal = Array.from({ length: nMain - nBig }, () => rng.lognormal(400e3, 1.1));
  const subs = Array.from({ length: nSub }, () => rng.lognormal(120e3, 0.9));
  const restRaw = [...normal, ...subs].reduce((a, b) => a + b, 0);
  const scale = restRaw > 0 ? rest / restRaw : 1;

  const mains = [];
  const sizes = [...big.map((s) => ({ s, big: true })), ...normal.map((s) => ({ s: s * scale, big: false }))];
  for (const { s, big: isBig } of sizes) {
    const size = Math.max(3000, Math.round(s));
    const project = rng.weighted(projects, projWeights);
    const workMs = isBig
      ? rng.float(16, 33) * HOUR
      : Math.min(9 * HOUR, Math.max(10 * MIN, (size / 1e6) * 1.5 * HOUR * rng.lognormal(1, 0.4)));
    let seg;
    for (let tries = 0; ; tries++) {
      seg = workSegments(rng, pickStart(rng, from, cutoff), workMs * (tries > 40 ? 0.5 : 1));
      if (seg.end < cutoff) break;
    }
    const sessionId = rng.uuid();
    const legacy = seg.end < legacyBefore;
    mains.push({
      kind: 'main', size, big: isBig, project, sessionId, seg, legacy,
      version: rng.pick(legacy ? OLD_VERSIONS : NEW_VERSIONS),
      model: rng.pick(MAIN_MODELS), branch: rng.pick(BRANCHES), seed: rng.u32(),
      file: path.join(dir, 'projects', project.dir, `${sessionId}.jsonl`),
    });
  }

  const plans = [...mains];
  const parents = mains.filter((m) => !m.big);
  for (const s of subs) {
    const parent = rng.pick(parents.length > 0 ? parents : mains);
    const size = Math.max(3000, Math.round(s * scale));
    let seg;
    for (let tries = 0; ; tries++) {
      const startMs = parent.seg.timeAt(rng.float(0.05, 0.8));
      seg = workSegments(rng, startMs, rng.float(4, 40) * MIN / (tries > 10 ? tries : 1));
      if (seg.end < cutoff) break;
    }
    const agentId = `a${rng.hex(6)}`;
    plans.push({
      kind: 'sub', size, big: false, project: parent.project, sessionId: parent.sessionId, agentId, seg,
      legacy: parent.legacy, version: parent.version, model: rng.pick(SUB_MODELS), branch: parent.branch,
      seed: rng.u32(),
      file: path.join(dir, 'projects', parent.project.dir, parent.sessionId, 'subagents', `agent-${agentId}.jsonl`),
    });
  }
  return { plans, cutoff, midnight };
}

/** Write one history transcript, sized by `plan.size`, timed along `plan.seg`. */
function writeHistoryFile(plan, pools, stats) {
  const rng = new Rng(plan.seed);
  mkdirSync(path.dirname(plan.file), { recursive: true });
  const sink = new FileSink(plan.file);
  const w = new TranscriptWriter({
    sink, rng, pools, stats, cwd: plan.project.cwd.replace(/"/g, ''), sessionId: plan.sessionId,
    version: plan.version, model: plan.model, legacy: plan.legacy, agentId: plan.agentId, gitBranch: plan.branch,
    timeTarget: () => plan.seg.timeAt(Math.min(1, sink.chars / plan.size)),
  });
  w.setTime(plan.seg.timeAt(0));
  const sub = plan.kind === 'sub';
  if (!sub && rng.chance(0.3)) for (let i = rng.int(1, 3); i > 0; i--) w.summary();
  if (sub) w.prompt();
  const maybeCompact = () => {
    if (w.ctx > w.compactAt) w.compact(rng.chance(0.8) ? 'auto' : 'manual');
  };
  while (sink.chars < plan.size) {
    if (!sub) {
      maybeCompact();
      w.prompt();
      if (rng.chance(0.004)) { w.synthetic('no-response'); continue; }
    }
    const calls = sub ? 1 : rng.int(1, 14);
    for (let c = 0; c < calls && sink.chars < plan.size; c++) {
      if (rng.chance(0.005)) w.synthetic('overloaded');
      const res = w.call({ tools: rng.weighted([1, 2, 3], [70, 20, 10]) });
      for (const tu of res.toolUses) w.toolResult(tu);
      maybeCompact();
    }
    if (sub) continue;
    w.call({ tools: 0 });
    w.turnDuration(rng.int(5_000, 600_000));
    if (rng.chance(0.003)) w.synthetic(plan.legacy ? 'limit-old' : 'limit-new', Math.ceil((w.cur + 3 * HOUR) / HOUR) * 3600);
  }
  if (sub) w.call({ tools: 0 });
  sink.close();
  utimesSync(plan.file, w.cur / 1000, w.cur / 1000);
  stats.bytes += sink.bytes;
  stats.files += 1;
  stats.linesTotal += sink.lines;
  return { bytes: sink.bytes, lastTs: w.cur };
}

export function readMeta(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, META_FILE), 'utf8'));
  } catch {
    return null;
  }
}

function writeMeta(dir, meta) {
  const file = path.join(dir, META_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function historyParams({ totalBytes = 2.1e9, files = 2000, now = Date.now(), seed = 1 }) {
  return { generator: GENERATOR_VERSION, seed, totalBytes: Math.round(totalBytes), files, day: new Date(utcMidnight(now)).toISOString().slice(0, 10) };
}

/** True when DIR holds history generated with exactly these parameters. */
export function historyIsFresh(dir, opts) {
  const meta = readMeta(dir);
  if (meta?.history?.params === undefined) return false;
  return JSON.stringify(meta.history.params) === JSON.stringify(historyParams(opts)) && existsSync(path.join(dir, 'projects'));
}

/**
 * Write the old history (everything before the active window) and then the active window.
 * Deletes DIR/projects first. Returns the meta object written to DIR/bench-meta.json.
 */
export async function generateHistory({ dir, totalBytes = 2.1e9, files = 2000, now = Date.now(), seed = 1, active = true, log = () => {} }) {
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  rmSync(path.join(dir, 'projects'), { recursive: true, force: true });
  rmSync(path.join(dir, META_FILE), { force: true });
  const { plans, cutoff } = planHistory({ dir, totalBytes, files, now, seed });
  const pools = buildPools(new Rng(seed ^ 0xabcdef));
  const stats = { bytes: 0, files: 0, linesTotal: 0, lines: {}, daily: {} };
  const largest = [];
  let lastTs = 0;
  let nextLog = 0;
  for (const plan of plans) {
    const r = writeHistoryFile(plan, pools, stats);
    lastTs = Math.max(lastTs, r.lastTs);
    if (plan.big) largest.push({ file: path.relative(dir, plan.file), bytes: r.bytes });
    if (stats.bytes >= nextLog) {
      log(`history: ${stats.files}/${plans.length} files, ${(stats.bytes / 1e9).toFixed(2)} GB, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      nextLog += 250e6;
    }
    // Let the event loop breathe between files (keeps the CLI responsive to signals).
    if (stats.files % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const history = {
    params: historyParams({ totalBytes, files, now, seed }),
    bytes: stats.bytes,
    files: stats.files,
    mainFiles: plans.filter((p) => p.kind === 'main').length,
    subagentFiles: plans.filter((p) => p.kind === 'sub').length,
    projects: new Set(plans.map((p) => p.project.dir)).size,
    lines: { total: stats.linesTotal, ...stats.lines },
    largestFiles: largest.sort((a, b) => b.bytes - a.bytes),
    firstEventAt: new Date(Math.min(...plans.map((p) => p.seg.timeAt(0)))).toISOString(),
    lastEventAt: new Date(lastTs).toISOString(),
    cutoff: new Date(cutoff).toISOString(),
    /** Deduplicated usage per UTC day (the final figure of each response; synthetic/error lines skipped). */
    daily: Object.fromEntries(Object.entries(stats.daily).sort()),
    generatedInMs: Math.round(performance.now() - t0),
  };
  writeMeta(dir, { history });
  log(`history: done, ${stats.files} files, ${(stats.bytes / 1e9).toFixed(3)} GB in ${(history.generatedInMs / 1000).toFixed(1)} s`);
  if (active) await writeActiveWindow({ dir, now, seed });
  return readMeta(dir);
}

/**
 * (Re)write the active window: 2-4 sessions in `projects/-home-dev-code-active-{app,api}/` (one
 * with a sub-agent file) whose events run from now-2h40m to now-1m, input+output 60-120k tokens.
 * Expected totals (dedup per message.id+requestId keeping the copy with most tokens, synthetic
 * and API-error lines skipped) are stored in bench-meta.json under `active`.
 * @param {object} o
 * @param {boolean} [o.legacyStreaming] write the active window like Claude Code < 2.1.97 (earlier
 *   lines of a response carry a placeholder output_tokens): makes first-copy dedup visible.
 */
export async function writeActiveWindow({ dir, now = Date.now(), seed = 1, legacyStreaming = false }) {
  const projectsDir = path.join(dir, 'projects');
  mkdirSync(projectsDir, { recursive: true });
  for (const name of readdirSync(projectsDir)) {
    if (name.startsWith(ACTIVE_PREFIX)) rmSync(path.join(projectsDir, name), { recursive: true, force: true });
  }
  const rng = new Rng((seed * 40503) ^ Math.floor(now / MIN));
  const pools = buildPools(new Rng(seed ^ 0x123457));
  const E = now - MIN;
  const S = now - 160 * MIN;
  const projects = [
    { cwd: '/home/dev/code/active-app', dir: `${ACTIVE_PREFIX}app` },
    { cwd: '/home/dev/code/active-api', dir: `${ACTIVE_PREFIX}api` },
  ];
  const n = rng.int(2, 4);
  const twoProjects = rng.chance(0.7);
  const version = rng.pick(NEW_VERSIONS);

  // Plan: time range and call times of each session; the sub-agent hangs off one call of session 0.
  const sessions = [];
  for (let i = 0; i < n; i++) {
    let start;
    let end;
    if (i === 0) { start = S; end = S + rng.float(0.45, 0.9) * (E - S); }
    else if (i === n - 1) { start = S + rng.float(0.3, 0.7) * (E - S); end = E; }
    else { start = S + rng.float(0.05, 0.6) * (E - S); end = Math.min(E - 10 * MIN, start + rng.float(20, 60) * MIN); }
    const nCalls = Math.max(6, Math.round((end - start) / (rng.float(2.2, 3.6) * MIN)));
    const times = [];
    for (let k = 0; k < nCalls; k++) {
      const base = start + 8_000 + ((end - 6_000 - start - 8_000) * k) / (nCalls - 1);
      const jitter = k === 0 || k === nCalls - 1 ? 0 : rng.float(-0.3, 0.3) * ((end - start) / nCalls);
      times.push(Math.round(base + jitter));
    }
    sessions.push({
      i, start, end, times, sessionId: rng.uuid(), project: twoProjects && i % 2 === 1 ? projects[1] : projects[0],
      model: rng.pick(MAIN_MODELS), seed: rng.u32(),
    });
  }
  const s0 = sessions[0];
  const taskAt = Math.floor(s0.times.length * rng.float(0.25, 0.6));
  const subStart = s0.times[taskAt] + 4_000;
  const subEnd = s0.times[taskAt + 1] - 8_000;
  const subCalls = Math.max(3, Math.min(10, Math.floor((subEnd - subStart) / 25_000)));
  const sub = {
    times: Array.from({ length: subCalls }, (_, k) => Math.round(subStart + 3_000 + ((subEnd - subStart - 6_000) * k) / (subCalls - 1))),
    agentId: `a${rng.hex(6)}`, seed: rng.u32(), model: rng.pick(SUB_MODELS),
  };

  // Token budget: input + output of the whole window in [60k, 120k].
  const budget = rng.int(60_000, 120_000);
  const all = [...sessions.map((s) => s.times), sub.times];
  const inputs = all.map((ts) => ts.map(() => (rng.chance(0.9) ? rng.int(1, 30) : rng.int(200, 3000))));
  const rawOut = all.map((ts) => ts.map(() => Math.min(6000, Math.max(20, rng.lognormal(700, 0.8)))));
  const sumIn = inputs.flat().reduce((a, b) => a + b, 0);
  const sumRaw = rawOut.flat().reduce((a, b) => a + b, 0);
  const factor = Math.max(0.01, (budget - sumIn) / sumRaw);
  const outputs = rawOut.map((arr) => arr.map((o) => Math.max(1, Math.round(o * factor))));

  const records = [];
  const onUsageLine = (rec) => records.push(rec);
  const stats = { lines: {}, daily: null };
  const files = [];
  const writeSession = (s, idx, agent) => {
    const r = new Rng(agent ? sub.seed : s.seed);
    const file = agent
      ? path.join(projectsDir, s0.project.dir, s0.sessionId, 'subagents', `agent-${sub.agentId}.jsonl`)
      : path.join(projectsDir, s.project.dir, `${s.sessionId}.jsonl`);
    mkdirSync(path.dirname(file), { recursive: true });
    const sink = new FileSink(file);
    const w = new TranscriptWriter({
      sink, rng: r, pools, stats, onUsageLine, cwd: agent ? s0.project.cwd : s.project.cwd,
      sessionId: agent ? s0.sessionId : s.sessionId, version, model: agent ? sub.model : s.model,
      legacy: legacyStreaming, agentId: agent ? sub.agentId : undefined, gitBranch: 'main',
    });
    const times = agent ? sub.times : s.times;
    w.setTime((agent ? subStart : s.start) - 1);
    if (!agent && idx === 1) w.summary();
    let turnLeft = 0;
    for (let k = 0; k < times.length; k++) {
      const last = k === times.length - 1;
      if (k === 0 && agent) w.prompt();
      if (turnLeft === 0 && !agent) {
        w.setTime(times[k] - r.int(3_000, 7_000));
        if (idx === 0 && !s.compacted && k >= Math.floor(times.length * 0.6) && k > taskAt + 1) {
          s.compacted = true;
          w.compact('manual');
        }
        w.prompt();
        if (idx === 1 && k > 0 && !last && !s.interrupted) {
          s.interrupted = true;
          w.synthetic('no-response');
          w.setTime(times[k] - 2_000);
          w.prompt();
        }
        turnLeft = Math.min(times.length - k, r.int(2, 8));
      }
      if (!agent) turnLeft--;
      w.setTime(times[k]);
      if (idx === 0 && k === 2) {
        w.synthetic('overloaded');
        w.setTime(times[k] + 1_500);
      }
      let endOfTurn = agent ? last : turnLeft === 0 || last;
      if (!agent && idx === 0 && k === taskAt && endOfTurn) { endOfTurn = false; turnLeft = 1; }
      const opts = { input: inputs[agent ? n : idx][k], output: outputs[agent ? n : idx][k] };
      if (!agent && idx === 0 && k === taskAt) opts.toolNames = ['Task'];
      else opts.tools = endOfTurn ? 0 : r.weighted([1, 2], [75, 25]);
      const res = w.call(opts);
      for (const tu of res.toolUses) {
        if (tu.name === 'Task' && !agent && idx === 0 && k === taskAt) {
          w.setTime(subEnd + 3_000);
          w.toolResult(tu, { text: pools.prose.slice(r, 8, 20).text });
        } else {
          w.setTime(res.lastTs + r.int(800, 3_000));
          w.toolResult(tu);
        }
      }
      if (endOfTurn && !agent) w.turnDuration(r.int(20_000, 400_000));
      if (last && agent) break;
    }
    sink.close();
    utimesSync(file, w.cur / 1000, w.cur / 1000);
    files.push({ file: path.relative(dir, file), bytes: sink.bytes, lines: sink.lines, lastEventAt: new Date(w.cur).toISOString(), agent: agent ? sub.agentId : null });
  };
  for (const s of sessions) writeSession(s, s.i, false);
  writeSession(s0, n, true);

  const expected = tally(records, 'max');
  const usageRecs = records.filter((x) => x.kind === 'normal');
  const firstUsage = Math.min(...usageRecs.map((x) => x.ts));
  const lastUsage = Math.max(...usageRecs.map((x) => x.ts));
  const lastEvent = Math.max(...files.map((f) => Date.parse(f.lastEventAt)));
  const meta = readMeta(dir) ?? {};
  meta.active = {
    now: new Date(now).toISOString(),
    legacyStreaming,
    version,
    sessions: n,
    projects: [...new Set(sessions.map((s) => s.project.dir))],
    files,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    lines: { total: files.reduce((a, f) => a + f.lines, 0), ...stats.lines },
    firstUsageAt: new Date(firstUsage).toISOString(),
    lastUsageAt: new Date(lastUsage).toISOString(),
    lastEventAt: new Date(lastEvent).toISOString(),
    /** The window as ccusage and cco (windowAlignment "hour") define it. */
    expectedWindowStart: new Date(Math.floor(firstUsage / HOUR) * HOUR).toISOString(),
    expectedWindowEnd: new Date(Math.floor(firstUsage / HOUR) * HOUR + 5 * HOUR).toISOString(),
    budget,
    /** The correct rule: per message.id+requestId keep the copy with most tokens; skip <synthetic>/API-error lines. */
    expected,
    /** What other (wrong) rules would give, to recognise them in a tool's output. */
    alternatives: { firstCopy: tally(records, 'first'), lastCopy: tally(records, 'last'), allCopies: tally(records, 'all') },
    usageLines: usageRecs.length,
    syntheticOrErrorLines: records.length - usageRecs.length,
  };
  writeMeta(dir, meta);
  return meta.active;
}

/** Totals of usage lines under a dedup rule: max (correct), first, last, all (no dedup). */
export function tally(records, rule) {
  const byKey = new Map();
  let toolCalls = 0;
  const totals = emptyTotals();
  for (const rec of records) {
    if (rec.kind !== 'normal') continue;
    toolCalls += rec.toolUses;
    if (rule === 'all') { addUsage(totals, rec); continue; }
    const prev = byKey.get(rec.key);
    const sum = (x) => x.input + x.output + x.c5 + x.c1 + x.cr;
    if (prev === undefined || rule === 'last' || (rule === 'max' && sum(rec) > sum(prev))) byKey.set(rec.key, rec);
  }
  if (rule !== 'all') for (const rec of byKey.values()) addUsage(totals, rec);
  return { ...totals, toolCalls, inputPlusOutput: totals.input + totals.output };
}

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--out') o.dir = path.resolve(v());
    else if (a === '--size-gb') o.totalBytes = Number(v()) * 1e9;
    else if (a === '--files') o.files = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--now') { const x = v(); o.now = /^\d+$/.test(x) ? Number(x) : Date.parse(x); }
    else if (a === '--active-only') o.activeOnly = true;
    else if (a === '--legacy-active') o.legacyStreaming = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (!o.dir) throw new Error('usage: generate.mjs --out DIR [--size-gb 2.1] [--files 2000] [--seed 1] [--now ISO|ms] [--active-only] [--legacy-active]');
  return o;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const o = parseArgs(process.argv.slice(2));
  const log = (m) => process.stderr.write(`${m}\n`);
  if (!o.activeOnly) await generateHistory({ ...o, active: false, log });
  const t = performance.now();
  const active = await writeActiveWindow(o);
  log(`active window: ${active.files.length} files, ${active.bytes} bytes, expected ${JSON.stringify(active.expected)} (${Math.round(performance.now() - t)} ms)`);
}
