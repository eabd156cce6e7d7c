/**
 * Bench section: very long lines (issue 10, part 4). Two config roots, each one session whose
 * transcript is ~100 MB: in one, a single 100 MB line (a tool result, what a hostile or broken
 * writer could leave) between a few ordinary lines; in the other, 100 MB of ordinary lines. Both are
 * stamped within the last two hours, so every byte is in the window and read. Measured: `cco status
 * --json` (wall time, peak RSS) and the PreCompact hook (`cco hook`, which writes a handoff from the
 * same transcript, under Claude Code's 10 s hook timeout). Targets: the single line costs at most 2x
 * the ordinary file, peak RSS under 200 MB. Needs no generated history: `--only long-lines`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { measure, median } from '../lib/measure.mjs';

const TARGET_BYTES = 100 * 1024 * 1024;
const SESSION = 'b0b0b0b0-1111-4222-8333-444455556666';
const CWD = '/home/dev/code/long-lines';
const MAX_RATIO = 2;
const MAX_RSS_MB = 200;

let uuid = 0;
const nextUuid = () => `00000000-0000-4000-8000-${String((uuid += 1)).padStart(12, '0')}`;

function envelope(type, at, extra) {
  return { parentUuid: nextUuid(), isSidechain: false, userType: 'external', cwd: CWD, sessionId: SESSION, version: '2.1.212', gitBranch: 'main', type, uuid: nextUuid(), timestamp: new Date(at).toISOString(), ...extra };
}

function assistant(at, n, input, output, content) {
  return JSON.stringify(envelope('assistant', at, {
    requestId: `req_${n}`,
    message: { id: `msg_${n}`, type: 'message', role: 'assistant', model: 'claude-opus-4-6', content, stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: output, service_tier: 'standard' } },
  }));
}

function toolResult(at, id, text) {
  return JSON.stringify(envelope('user', at, { message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: text, is_error: false }] } }));
}

/** Ordinary text of `n` characters (words, newlines: JSON escapes them as real tool output). */
function text(n, seed) {
  const words = ['const', 'total', 'invoice', 'return', 'export', 'function', 'amount', 'cents', 'rounded', 'await'];
  let s = '';
  let i = seed;
  while (s.length < n) {
    s += words[i % words.length] + (i % 11 === 0 ? '\n' : ' ');
    i = (i * 7 + 3) % 1009;
  }
  return s.slice(0, n);
}

/** Writes `file` in pieces (never one 100 MB string), returning the expected input+output of its responses. */
function writeSession(file, single, now) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  const start = now - 2 * 3600_000;
  let written = 0;
  let n = 0;
  let tokens = 0;
  const put = (line) => {
    const bytes = Buffer.from(`${line}\n`);
    fs.writeSync(fd, bytes);
    written += bytes.length;
  };
  const respond = (at, content) => {
    n += 1;
    tokens += 1000 + n + 50;
    put(assistant(at, n, 1000 + n, 50, content));
  };
  try {
    put(JSON.stringify(envelope('user', start, { message: { role: 'user', content: 'Read the invoice module and add totals.' } })));
    respond(start + 1000, [{ type: 'tool_use', id: 'toolu_0', name: 'Read', input: { file_path: `${CWD}/src/invoice.ts` } }]);
    if (single) {
      // One tool result of ~100 MB: the line's head, the bulk in 1 MB pieces, its tail.
      const head = toolResult(start + 2000, 'toolu_0', '#').split('"#"');
      fs.writeSync(fd, `${head[0]}"`);
      const piece = Buffer.alloc(1 << 20, 0x41);
      while (written < TARGET_BYTES) {
        fs.writeSync(fd, piece);
        written += piece.length;
      }
      fs.writeSync(fd, `"${head[1]}\n`);
      respond(now - 60_000, [{ type: 'text', text: 'Done.' }]);
    } else {
      const body = text(6000, 1);
      let at = start + 2000;
      const step = (2 * 3600_000 - 120_000) / (TARGET_BYTES / 7000);
      for (let i = 1; written < TARGET_BYTES; i += 1) {
        put(toolResult(at, `toolu_${i - 1}`, `${i} ${body}`));
        at += step / 2;
        respond(at, [{ type: 'tool_use', id: `toolu_${i}`, name: 'Read', input: { file_path: `${CWD}/src/file-${i}.ts` } }]);
        at += step / 2;
      }
      respond(now - 60_000, [{ type: 'text', text: 'Done.' }]);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { bytes: fs.statSync(file).size, tokens, responses: n };
}

function runHook(cco, root, transcript, home) {
  const payload = JSON.stringify({ hook_event_name: 'PreCompact', session_id: SESSION, cwd: CWD, transcript_path: transcript, trigger: 'auto' });
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [cco, 'hook', '--config-dir', root], { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, HOME: home, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, ms: Number(process.hrtime.bigint() - t0) / 1e6, stderr }));
    child.stdin.end(payload);
  });
}

/** @param {{root: string, runs: number, cco: string, log: (s: string) => void}} ctx */
export async function longLinesSection(ctx) {
  const { cco, log } = ctx;
  const runs = Math.max(1, ctx.runs);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-bench-long-lines-'));
  const failures = [];
  const disagreements = [];
  const now = Date.now();
  const load = os.loadavg()[0];
  const cases = [];
  try {
    for (const [name, single] of [['100 MB of ordinary lines', false], ['one 100 MB line (+3 small lines)', true]]) {
      const root = path.join(base, single ? 'single' : 'normal');
      const transcript = path.join(root, 'projects', CWD.replace(/[^A-Za-z0-9]/g, '-'), `${SESSION}.jsonl`);
      log(`long lines: writing ${name}`);
      const file = writeSession(transcript, single, now);
      cases.push({ name, single, root, transcript, file, status: [], hook: [] });
    }
    const env = { ...process.env, HOME: base, NO_COLOR: '1', CLAUDE_CONFIG_DIR: '' };
    // Warm the page cache, then alternate.
    for (const c of cases) await measure(process.execPath, [cco, 'status', '--json', '--config-dir', c.root], { env });
    for (let i = 0; i < runs; i += 1) {
      for (const c of cases) {
        log(`long lines: cco status --json, ${c.name}, run ${i + 1}/${runs}`);
        const r = await measure(process.execPath, [cco, 'status', '--json', '--config-dir', c.root], { env });
        if (!r.ok) {
          failures.push(`long lines: cco status on ${c.name} exited ${r.code}: ${r.stderr.slice(0, 200)}`);
          continue;
        }
        c.status.push(r);
        const snapshot = JSON.parse(r.stdout);
        const used = snapshot.quota.currentWindow ? snapshot.quota.currentWindow.tokens.input + snapshot.quota.currentWindow.tokens.output : 0;
        if (used !== c.file.tokens) disagreements.push(`${c.name}: cco counted ${used} tokens, expected ${c.file.tokens}`);
        if (snapshot.diagnostics.skipped.oversized !== (c.single ? 1 : 0)) disagreements.push(`${c.name}: ${snapshot.diagnostics.skipped.oversized} oversized lines reported`);
      }
    }
    for (const c of cases) {
      for (let i = 0; i < runs; i += 1) {
        log(`long lines: cco hook PreCompact, ${c.name}, run ${i + 1}/${runs}`);
        const r = await runHook(cco, c.root, c.transcript, base);
        if (r.code !== 0) failures.push(`long lines: PreCompact hook on ${c.name} exited ${r.code}: ${r.stderr.slice(0, 200)}`);
        c.hook.push(r.ms);
      }
      const handoffs = path.join(c.root, 'handoffs');
      if (!fs.existsSync(handoffs) || fs.readdirSync(handoffs).length === 0) disagreements.push(`${c.name}: the PreCompact hook wrote no handoff`);
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }

  const wall = (c) => median(c.status.map((r) => r.wallMs));
  const rss = (c) => Math.max(...c.status.map((r) => (r.rssKb ?? 0) / 1024));
  const [normal, single] = cases;
  const ratio = wall(single) / wall(normal);
  if (!(ratio <= MAX_RATIO)) disagreements.push(`one 100 MB line takes ${ratio.toFixed(2)}x the ordinary file (target <= ${MAX_RATIO}x)`);
  for (const c of cases) if (!(rss(c) < MAX_RSS_MB)) disagreements.push(`${c.name}: peak RSS ${rss(c).toFixed(0)} MB (target < ${MAX_RSS_MB} MB)`);
  const rows = cases.map((c) => [
    c.name,
    `${(c.file.bytes / 2 ** 20).toFixed(0)} MiB`,
    wall(c).toFixed(0),
    rss(c).toFixed(0),
    median(c.hook).toFixed(0),
    c === single ? `${ratio.toFixed(2)}x the ordinary file's wall time` : '',
  ]);
  const markdown = [
    '## Very long lines: one 100 MB line vs 100 MB of ordinary lines',
    '',
    `One session each, every line stamped within the last 2 hours (all of it is read). ${runs} alternating runs of \`cco status --json\` after a warm-up; ` +
      `peak RSS is the largest of the runs; the PreCompact hook (\`cco hook\`, which writes a handoff from the transcript; Claude Code kills it after 10 s) ${runs} runs each. ` +
      `Targets: the single line at most ${MAX_RATIO}x the ordinary file, peak RSS under ${MAX_RSS_MB} MB. A line over 64 MiB is skipped while streaming and counted as oversized.`,
    '',
    `${new Date(now).toISOString().slice(0, 16)}Z, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${load.toFixed(1)} when the section started` +
      `${load > os.cpus().length ? ' (the machine was shared: absolute times are inflated, the ratio is the figure to read)' : ''}.`,
    '',
    '| transcript | size | `cco status --json` median wall ms | peak RSS MB | PreCompact hook median ms | note |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  return { name: 'long-lines', markdown, failures, disagreements, rows };
}
