/**
 * Bench section: the current 5-hour window, `cco status --json` vs `ccusage blocks --active --json`,
 * on the same config root: speed (wall, peak RSS) and whether both count the same tokens as the
 * generator's exact expectation (bench-meta.json) and an independent recount of the files.
 */
import * as path from 'node:path';
import { ensureCcusage } from '../lib/ccusage.mjs';
import { measure, median } from '../lib/measure.mjs';
import { recount } from '../lib/recount.mjs';

const KINDS = [
  // [label, expected key, cco key, ccusage key]
  ['input', 'input', 'input', 'inputTokens'],
  ['output', 'output', 'output', 'outputTokens'],
  ['cacheCreation', 'cacheCreation', 'cacheCreation', 'cacheCreationInputTokens'],
  ['cacheRead', 'cacheRead', 'cacheRead', 'cacheReadInputTokens'],
];

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const fmtInt = (n) => (typeof n === 'number' && Number.isFinite(n) ? String(n) : 'n/a');
const verdict = (a, b) => (typeof a !== 'number' || typeof b !== 'number' ? 'n/a' : a === b ? 'AGREE' : 'DISAGREE');

/** @param {{root: string, dataDir: string, meta: object, runs: number, cco?: string, ccusage?: string, log: (s: string) => void}} ctx */
export async function quotaWindowSection(ctx) {
  const { root, dataDir, meta, runs, log } = ctx;
  const ccoBin = ctx.cco ?? path.join(root, 'bin/cco.js');
  const env = { ...process.env, CLAUDE_CONFIG_DIR: dataDir, NO_COLOR: '1' };
  const tools = [
    { name: 'cco status --json', cmd: process.execPath, args: [ccoBin, 'status', '--json', '--config-dir', dataDir] },
    { name: 'ccusage blocks --active --json --offline', cmd: ctx.ccusage ?? ensureCcusage(log), args: ['blocks', '--active', '--json', '--offline'] },
    // For scale, not compared: Node's own start-up, which every `cco` process pays and a native
    // binary does not. It is most of cco's time, and what differs most between machines.
    { name: 'node -e 0 (Node start-up alone)', cmd: process.execPath, args: ['-e', '0'] },
  ];
  const failures = [];
  const seenStderr = new Set();
  const report = (tool, r, what) => {
    const msg = `${tool.name} ${what} failed (exit ${r.code}${r.signal ? `, ${r.signal}` : ''}${r.error ? `, ${r.error}` : ''})`;
    failures.push(msg);
    const err = (r.stderr || '').trim().split('\n').slice(0, 20).join('\n');
    log(`!! ${msg}${seenStderr.has(err) ? ' (same stderr as above)' : `\n${err}`}`);
    seenStderr.add(err);
  };

  // Warm-up: one unmeasured run of each, so both see a warm page cache (cold runs are not measured).
  const results = tools.map(() => ({ runs: [], last: null, lastOk: null }));
  for (const [i, tool] of tools.entries()) {
    log(`warm-up: ${tool.name}`);
    const r = await measure(tool.cmd, tool.args, { env, cwd: root });
    if (!r.ok) report(tool, r, 'warm-up');
    else results[i].lastOk = r;
  }
  for (let k = 0; k < runs; k++) {
    for (const [i, tool] of tools.entries()) {
      if (results[i].lastOk === null && k > 0 && results[i].runs.length === 0) continue; // fails every time: stop retrying
      const r = await measure(tool.cmd, tool.args, { env, cwd: root });
      log(`run ${k + 1}/${runs} ${tool.name}: ${r.ok ? `${r.wallMs.toFixed(0)} ms, ${r.rssKb ?? '?'} KB` : `failed (exit ${r.code})`}`);
      if (!r.ok) { if (k === 0) report(tool, r, `run ${k + 1}`); continue; }
      results[i].runs.push(r);
      results[i].lastOk = r;
    }
  }

  const stat = results.map((res) => {
    const walls = res.runs.map((r) => r.wallMs);
    const rss = res.runs.map((r) => r.rssKb).filter((x) => typeof x === 'number');
    return { n: walls.length, median: median(walls), min: Math.min(...walls), rssMb: rss.length ? Math.max(...rss) / 1024 : NaN };
  });
  const [cco, ccu] = stat;
  const ratio = cco.n && ccu.n ? `${(ccu.median / cco.median).toFixed(1)}x wall, ${(ccu.rssMb / cco.rssMb).toFixed(1)}x RSS` : 'n/a';
  const perf = [
    '| tool | runs | median wall ms | min wall ms | peak RSS MB | ccusage / cco |',
    '|---|---|---|---|---|---|',
    ...tools.map((t, i) => {
      const s = stat[i];
      return s.n
        ? `| \`${t.name}\` | ${s.n} | ${s.median.toFixed(0)} | ${s.min.toFixed(0)} | ${Number.isFinite(s.rssMb) ? s.rssMb.toFixed(0) : 'n/a'} | ${i === 1 ? ratio : i === 2 ? `${((s.median / cco.median) * 100).toFixed(0)}% of cco's median` : ''} |`
        : `| \`${t.name}\` | 0 | failed | failed | n/a | |`;
    }),
  ];

  // Token comparison: ours, ccusage's active block, the generator's exact expectation, a recount.
  const active = meta.active;
  const ccoJson = parseJson(results[0].lastOk?.stdout ?? '');
  const ccuJson = parseJson(results[1].lastOk?.stdout ?? '');
  const win = ccoJson?.quota?.currentWindow ?? null;
  const block = Array.isArray(ccuJson?.blocks) ? ccuJson.blocks.find((b) => b.isActive === true) ?? null : null;
  if (results[0].lastOk && !win) log(`!! cco output has no quota.currentWindow: ${String(results[0].lastOk.stdout).slice(0, 300)}`);
  if (results[1].lastOk && !block) log('!! ccusage reported no active block');
  const re = await recount(dataDir, Date.parse(active.expectedWindowStart), Date.now());

  const rows = [];
  for (const [label, ek, ck, uk] of KINDS) {
    const exp = active.expected[ek];
    const c = win?.tokens?.[ck];
    const u = block?.tokenCounts?.[uk];
    rows.push({ label, exp, re: re[ek], c, u, vc: verdict(c, exp), vu: verdict(u, exp) });
  }
  // ccusage's `entries` counts lines it kept, including <synthetic> and API-error lines.
  const withSynthetic = active.expected.messages + active.syntheticOrErrorLines;
  const entries = block?.entries;
  let vu = verdict(entries, active.expected.messages);
  if (vu === 'DISAGREE' && entries === withSynthetic) vu = `DISAGREE (= ${active.expected.messages} + ${active.syntheticOrErrorLines} <synthetic>/API-error lines it does not skip)`;
  rows.push({ label: 'messages (ccusage: entries)', exp: active.expected.messages, re: re.messages, c: win?.messages, u: entries, vc: verdict(win?.messages, active.expected.messages), vu });
  const startOf = (s) => (typeof s === 'string' ? new Date(Date.parse(s)).toISOString() : undefined);
  const es = active.expectedWindowStart;
  const cs = startOf(win?.startTime);
  const us = startOf(block?.startTime);
  const tv = (x) => (x === undefined ? 'n/a' : x === es ? 'AGREE' : 'DISAGREE');

  const tokens = [
    '| | expected | recount | cco | ccusage | cco | ccusage |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${fmtInt(r.exp)} | ${fmtInt(r.re)} | ${fmtInt(r.c)} | ${fmtInt(r.u)} | ${r.vc} | ${r.vu} |`),
    `| window start | ${es.slice(11, 16)}Z | | ${cs ? `${cs.slice(11, 16)}Z` : 'n/a'} | ${us ? `${us.slice(11, 16)}Z` : 'n/a'} | ${tv(cs)} | ${tv(us)} |`,
  ];
  const disagreements = rows.filter((r) => r.vc === 'DISAGREE' || r.vu === 'DISAGREE').map((r) => r.label);
  if (tv(cs) === 'DISAGREE' || tv(us) === 'DISAGREE') disagreements.push('window start');
  if (re.input !== active.expected.input || re.output !== active.expected.output || re.messages !== active.expected.messages) {
    disagreements.push('generator meta vs recount (generator bug)');
  }
  const alt = active.alternatives;
  const markdown = [
    '## Current 5-hour window: `cco status` vs `ccusage blocks --active`',
    '',
    ...perf,
    '',
    `Active window: ${active.sessions} sessions + 1 sub-agent file, ${active.usageLines} usage lines -> ${active.expected.messages} API responses, input+output ${active.expected.inputPlusOutput}. ` +
      `Expected = dedup per message.id+requestId keeping the copy with most tokens, <synthetic>/API-error lines skipped` +
      (active.legacyStreaming ? ' (legacy streaming placeholders ON: first-copy dedup would give output ' + alt.firstCopy.output + ')' : '') +
      `; counting every line would give input+output ${alt.allCopies.inputPlusOutput}.`,
    '',
    ...tokens,
    '',
    disagreements.length
      ? `**DISAGREEMENT:** ${disagreements.join(', ')}`
      : win && block
        ? 'All token kinds agree.'
        : `Nothing to compare for ${[win ? null : 'cco (no quota.currentWindow)', block ? null : 'ccusage (no active block)'].filter(Boolean).join(' and ')}; the rest agrees.`,
  ].join('\n');
  return { name: 'quota-window', markdown, failures, disagreements, rows: { perf: tools.map((t, i) => ({ tool: t.name, ...stat[i] })), tokens: rows } };
}
