#!/usr/bin/env node
/**
 * Soak probe (issue 15.1): a long-running follower of a transcript that keeps growing, measured
 * every 10,000 lines. Run by test/bench/sections/soak.mjs; prints one JSON line on stdout.
 *
 *   node --expose-gc test/bench/soak-probe.mjs engine|watch ROOT LINES BURST IDLE_MS
 *
 * `engine`: the real Engine (dist/) in this process, as the tray app runs it (persisting its
 * records). `watch`: `cco status --watch` (bin/cco.js) in a child process with soak-report.mjs
 * preloaded, which answers SIGUSR2 with its memory figures and says how far it has read the
 * transcript; this process appends and reads them. Lines are appended in bursts of BURST as fast
 * as the follower keeps up: the next burst is written once the follower has the last one (the
 * Snapshot's or the redrawn panel's response count; on the virtual clock, SOAK_LINE_MS, where the
 * window resets, the lines read). A burst not seen within 3 s is a stall: recorded with what the
 * follower had, then the file's mtime is touched. Memory is taken after a full GC (what is
 * retained, not garbage waiting for the collector), RSS included and split by /proc/PID/smaps.
 * Then IDLE_MS without writes: the CPU used in its last SOAK_IDLE_MEASURED_MS (default 30 s) is
 * the idle figure (the first part lets V8's memory reducer run, which is not the follower working).
 * SOAK_TRACE=1 writes every write, read to the end and raw file event (watch) to stderr, timed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const [mode, root, linesText = '100000', burstText = '25', idleText = '25000'] = process.argv.slice(2);
const LINES = Number(linesText);
const BURST = Number(burstText);
const IDLE_MS = Number(idleText);
const STEP = Number(process.env.SOAK_STEP ?? 10_000);
const IDLE_MEASURED_MS = Number(process.env.SOAK_IDLE_MEASURED_MS ?? 30_000);
const SESSION = 'c0c0c0c0-1515-4000-8000-000000000015';
const CWD = '/home/dev/code/soak';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Where a process's RSS lives, from /proc/PID/smaps: the main malloc arena (`[heap]`), anonymous
 * mappings (V8's pages, other threads' malloc arenas, large mallocs) and file mappings (the node
 * binary, libraries). Tells retained JS data (heap used) from allocator memory not given back.
 */
function rssParts(pid) {
  const parts = { brk: 0, anon: 0, file: 0 };
  let kind = 'file';
  try {
    for (const row of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(row);
      if (head) kind = head[1] === '[heap]' ? 'brk' : head[1] === '' || head[1].startsWith('[anon') ? 'anon' : 'file';
      else if (row.startsWith('Rss:')) parts[kind] += Number(row.split(/\s+/)[1]) * 1024;
    }
  } catch {
    // Not Linux: the parts stay 0.
  }
  return parts;
}
const MiB = 2 ** 20;
/**
 * After the full GC, wait this long before reading RSS: V8 hands freed pages (the large arrays and
 * maps a recompute over the window builds) to a background unmapper, so RSS read at once may
 * still count garbage on its way out. SOAK_SETTLE_MS=0 reads at once.
 */
const SETTLE_MS = Number(process.env.SOAK_SETTLE_MS ?? 0);
/**
 * A full GC; with SETTLE_MS, a second one after the wait (a late file event's recompute left
 * garbage). Returns the RSS right after the first, which still holds pages on their way out.
 */
async function settledGc() {
  globalThis.gc();
  const rssAtGc = process.memoryUsage.rss();
  if (SETTLE_MS > 0) {
    await sleep(SETTLE_MS);
    globalThis.gc();
  }
  return rssAtGc;
}
/**
 * SOAK_LINE_MS: stamp line i at a virtual instant i * SOAK_LINE_MS apart and run the follower on a
 * clock that follows the lines (the Engine's clock option; in `cco status --watch`, Date.now moved
 * by soak-report.mjs), so the lines span the hours they would at a user's pace, several 5-hour
 * windows, while the writes stay time-compressed. Between bursts the clock runs at real speed.
 * 0 (default): real time, all the lines in the current 5-hour window.
 */
const LINE_MS = Number(process.env.SOAK_LINE_MS ?? 0);
/** ...and a night (SOAK_GAP_MS, default 8 h) after every SOAK_GAP_EVERY lines (default 5,000): people stop. */
const GAP_EVERY = Number(process.env.SOAK_GAP_EVERY ?? 5000);
const GAP_MS = Number(process.env.SOAK_GAP_MS ?? 8 * 3_600_000);
const VIRTUAL_T0 = Date.now() - (LINES + 10) * LINE_MS - Math.ceil((LINES + 10) / GAP_EVERY) * GAP_MS;
/** The stamp of the `lines`-th line written (counted from 1): once `lines` are written, the last one's. */
const virtualAt = (lines) => VIRTUAL_T0 + lines * LINE_MS + Math.floor(lines / GAP_EVERY) * GAP_MS;
const virtualNow = () => virtualAt(serial);

// ---- lines: a working session's mix, ~1 KB a line on average --------------------------------

let serial = 0;
const FILLER = 'const value = compute(input, options); // keeps the tool output realistic\\n'.repeat(24);

function envelope(type, extra) {
  serial += 1;
  return {
    parentUuid: `00000000-0000-4000-8000-${String(serial - 1).padStart(12, '0')}`, isSidechain: false, userType: 'external', cwd: CWD,
    sessionId: SESSION, version: '2.1.212', gitBranch: 'main', type, uuid: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    timestamp: new Date(LINE_MS ? virtualNow() : Date.now()).toISOString(), ...extra,
  };
}

function assistant(content) {
  const n = serial + 1;
  return JSON.stringify(envelope('assistant', {
    requestId: `req_soak_${n}`,
    message: { id: `msg_soak_${n}`, type: 'message', role: 'assistant', model: 'claude-opus-4-6', content, stop_reason: 'tool_use', stop_sequence: null,
      usage: { input_tokens: 3, cache_creation_input_tokens: 120, cache_read_input_tokens: 20_000, cache_creation: { ephemeral_5m_input_tokens: 120, ephemeral_1h_input_tokens: 0 }, output_tokens: 40, service_tier: 'standard' } },
  }));
}

/** Claude Code compacts when the context fills: a session this long has done so every ~2,000 lines. */
const COMPACT_EVERY = 2000;

/** Line `i` of the session: prompt, tool call, tool result, answer, repeating; a compaction now and then. Returns [line, isResponse]. */
function line(i) {
  if (i % COMPACT_EVERY === COMPACT_EVERY - 2) {
    return [JSON.stringify(envelope('system', { subtype: 'compact_boundary', content: 'Conversation compacted', compactMetadata: { trigger: 'auto', preTokens: 167_000 } })), false];
  }
  if (i % COMPACT_EVERY === COMPACT_EVERY - 1) {
    return [JSON.stringify(envelope('user', { isCompactSummary: true, message: { role: 'user', content: 'This session is being continued from a previous conversation. Summary: the parser refactoring, step by step.' } })), false];
  }
  switch (i % 4) {
    case 0: return [JSON.stringify(envelope('user', { message: { role: 'user', content: `Please look at step ${i} of the refactoring and fix what fails.` } })), false];
    case 1: return [assistant([{ type: 'tool_use', id: `toolu_soak_${i}`, name: 'Read', input: { file_path: `/home/dev/code/soak/src/file-${i % 97}.ts` } }]), true];
    case 2: return [JSON.stringify(envelope('user', { message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_soak_${i - 1}`, content: FILLER, is_error: false }] } })), false];
    default: return [assistant([{ type: 'text', text: `Step ${i} done: the tests pass again after the change to the parser's error path.` }]), true];
  }
}

// ---- the config root --------------------------------------------------------------------------

const projectDir = path.join(root, 'projects', '-home-dev-code-soak');
fs.mkdirSync(projectDir, { recursive: true });
fs.writeFileSync(path.join(root, 'cco-settings.json'), `${JSON.stringify({ plan: 'max20', windowAlignment: 'hour' })}\n`);
const transcript = path.join(projectDir, `${SESSION}.jsonl`);
let written = 0;
let responses = 0;
function appendBurst(count) {
  const parts = [];
  for (let k = 0; k < count; k += 1) {
    const [text, isResponse] = line(written);
    parts.push(text, '\n');
    written += 1;
    if (isResponse) responses += 1;
  }
  fs.appendFileSync(transcript, parts.join(''));
  if (process.env.SOAK_TRACE) process.stderr.write(`${performance.timeOrigin + performance.now()} WROTE ${written} size ${fs.statSync(transcript).size}\n`);
}
// A first prompt, so the follower starts on a live session.
appendBurst(4);

/**
 * Waits for the follower's next report; if none comes within STALL_MS, the last write went unseen
 * (the watcher missed it): the file's mtime is touched, which the follower sees as a change, and
 * the stall is counted and reported (it is a finding, not hidden).
 */
const STALL_MS = 3000;
let stalls = 0;
async function nudgedWait(arm) {
  let timer;
  const woke = await Promise.race([
    new Promise((resolve) => arm(() => resolve(true))),
    new Promise((resolve) => { timer = setTimeout(() => resolve(false), STALL_MS); }),
  ]);
  clearTimeout(timer);
  if (!woke) {
    stalls += 1;
    stallDetails.push({ at: Math.round(performance.now()), written, responses, counted: progressNow(), size: fs.statSync(transcript).size });
    const now = new Date();
    fs.utimesSync(transcript, now, now);
  }
}
/** What each stall saw (the lines written, the responses expected and counted), for the report. */
const stallDetails = [];
/** The follower's progress, for the stall record (set by each follower). */
let progressNow = () => null;

// ---- the two followers ------------------------------------------------------------------------

/** Engine in this process: waits on Snapshots, measures itself. */
async function engineFollower() {
  const { Engine } = await import('../../dist/main/core/engine.js');
  const { loadSettings } = await import('../../dist/main/core/settings.js');
  let clockOffset = 0;
  const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), ...(LINE_MS ? { clock: () => Date.now() + clockOffset } : {}) });
  let counted = 0;
  progressNow = () => counted;
  let wake = null;
  // On the virtual clock the window resets every 5 hours: progress is then the lines read.
  const progress = (s) => (LINE_MS ? s.diagnostics.linesRead : s.quota.currentWindow?.messages ?? 0);
  engine.on('snapshot', (s) => {
    counted = progress(s);
    wake?.();
  });
  engine.on('error', (error) => process.stderr.write(`engine: ${error.message}\n`));
  if (LINE_MS) clockOffset = virtualAt(serial) + 1000 - Date.now();
  const first = await engine.start();
  counted = progress(first);
  return {
    async setClock(ms) {
      clockOffset = ms - Date.now();
    },
    async caughtUp() {
      const expected = LINE_MS ? written : responses;
      while (counted < expected) await nudgedWait((resolve) => { wake = resolve; });
    },
    async memory() {
      const rssAtGc = await settledGc();
      const m = process.memoryUsage();
      return { rssAtGc, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, ...rssParts(process.pid) };
    },
    cpuMs() {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    },
    stop: () => engine.stop(),
  };
}

/**
 * `cco status --watch` in a child: waits on the panel's response count (on the virtual clock, where
 * the window resets, on the child having read the transcript to its end), asks it for its memory.
 */
async function watchFollower() {
  const child = spawn(process.execPath, ['--expose-gc', '--import', pathToFileURL(path.join(HERE, 'soak-report.mjs')).href, path.join(REPO, 'bin/cco.js'), 'status', '--watch', '--config-dir', root], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...(LINE_MS ? { SOAK_CLOCK: String(virtualAt(serial) + 1000) } : {}) },
  });
  let counted = 0;
  /** The furthest the child has read the transcript to its end (soak-report.mjs's SOAKREAD). */
  let readTo = 0;
  progressNow = () => ({ panel: counted, readTo });
  let wake = null;
  let tail = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text) => {
    tail = (tail + text).slice(-4096);
    const all = [...tail.matchAll(/\((\d[\d,]*) responses/g)];
    const last = all.at(-1);
    if (last) counted = Number(last[1].replace(/,/g, ''));
    wake?.();
  });
  let reports = [];
  let clockAcks = 0;
  let errText = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => {
    errText += text;
    let nl;
    while ((nl = errText.indexOf('\n')) !== -1) {
      const one = errText.slice(0, nl);
      errText = errText.slice(nl + 1);
      if (one.startsWith('SOAK ')) reports.push(JSON.parse(one.slice(5)));
      else if (one.startsWith('SOAKREAD ')) {
        const [offset, at] = one.slice(9).split(' ');
        readTo = Math.max(readTo, Number(offset));
        if (process.env.SOAK_TRACE) process.stderr.write(`${at} read to ${offset}\n`);
      }
      else if (one === 'SOAKCLOCK') clockAcks += 1;
      else if (one.startsWith('SOAKTRACE ')) process.stderr.write(`${one.slice(10)}\n`);
      else if (one.trim()) process.stderr.write(`watch: ${one}\n`);
    }
    wake?.();
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', () => wake?.());
  const until = async (done, what) => {
    while (!done()) {
      if (child.exitCode !== null) throw new Error(`cco status --watch exited (${child.exitCode}) ${what}`);
      await new Promise((resolve) => { wake = resolve; });
    }
  };
  const ask = async () => {
    reports = [];
    child.kill('SIGUSR2');
    await until(() => reports.length > 0, 'asked for its memory');
    return reports[0];
  };
  // The first panel is drawn before the watcher is ready (Engine.start computes, then watches):
  // writes in between would go unseen. A tiny root is watched well within this.
  await until(() => counted > 0 || (LINE_MS > 0 && readTo > 0), 'before its first panel');
  await sleep(2000);
  return {
    async setClock(ms) {
      const acks = clockAcks;
      child.stdin.write(`clock ${ms}\n`);
      await until(() => clockAcks > acks, 'before its clock was set');
    },
    async caughtUp() {
      const size = fs.statSync(transcript).size;
      const caught = () => (LINE_MS ? readTo >= size : counted >= responses);
      while (!caught()) {
        if (child.exitCode !== null) throw new Error(`cco status --watch exited (${child.exitCode})`);
        await nudgedWait((resolve) => { wake = () => { if (caught()) resolve(); }; });
      }
    },
    memory: async () => ({ ...(await ask()).memory, ...rssParts(child.pid) }),
    // From /proc (clock ticks, 10 ms): asking the child would run its GC inside the idle window.
    cpuMs() {
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const follower = mode === 'engine' ? await engineFollower() : await watchFollower();
await follower.caughtUp();
const rows = [{ lines: 0, ...(await follower.memory()) }];
const t0 = performance.now();
const startLines = written;
let mark = STEP;
while (written - startLines < LINES) {
  const count = Math.min(BURST, LINES - (written - startLines));
  // The clock first, then the lines: a follower never sees a line stamped after its now.
  if (LINE_MS) await follower.setClock(virtualAt(serial + count) + 1000);
  appendBurst(count);
  await follower.caughtUp();
  if (written - startLines >= mark) {
    rows.push({ lines: written - startLines, ...(await follower.memory()) });
    mark += STEP;
  }
}
const followMs = performance.now() - t0;
await sleep(Math.max(0, IDLE_MS - IDLE_MEASURED_MS));
const cpu0 = await follower.cpuMs();
await sleep(IDLE_MEASURED_MS);
const idleCpuMs = (await follower.cpuMs()) - cpu0;
const idleMemory = await follower.memory();
await follower.stop();
process.stdout.write(`${JSON.stringify({ mode, lines: written - startLines, burst: BURST, lineMs: LINE_MS, bytes: fs.statSync(transcript).size, followMs, rows, idleCpuMs, idleMeasuredMs: IDLE_MEASURED_MS, idleMemory, stalls, stallDetails, progressAtEnd: progressNow(), responses, written, MiB })}\n`);
