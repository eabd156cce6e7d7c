/**
 * Pools of pre-escaped JSON string text (code-like lines and prose), built once per run.
 * Lines are escaped once with JSON.stringify and joined with the two-character escape `\n`, so a
 * run of whole lines is a plain `slice` that can be pasted between quotes: no per-line
 * JSON.stringify of megabytes of tool output while generating.
 */

const IDENTS = [
  'config', 'state', 'result', 'entry', 'window', 'session', 'usage', 'tokens', 'reader', 'offset',
  'buffer', 'handler', 'request', 'response', 'invoice', 'customer', 'payload', 'options', 'logger',
  'cache', 'index', 'parser', 'stream', 'client', 'server', 'router', 'schema', 'record', 'queue',
  'worker', 'timer', 'limit', 'budget', 'report', 'project', 'path', 'files', 'lines', 'events',
  'snapshot', 'store', 'lock', 'plan', 'quota', 'model', 'user', 'account', 'order', 'total', 'items',
];
const TYPES = ['string', 'number', 'boolean', 'Promise<void>', 'Record<string, number>', 'Settings', 'UsageEvent', 'Buffer', 'unknown[]'];
const KEYWORDS = ['const', 'let', 'return', 'await', 'if', 'for', 'while', 'throw', 'export', 'import'];
const WORDS = [
  'the', 'file', 'reads', 'tokens', 'from', 'each', 'line', 'and', 'keeps', 'only', 'what', 'changed',
  'since', 'last', 'time', 'we', 'should', 'check', 'whether', 'this', 'test', 'fails', 'because',
  'value', 'is', 'null', 'when', 'window', 'starts', 'I', 'will', 'now', 'update', 'function', 'so',
  'that', 'it', 'handles', 'error', 'case', 'correctly', 'let', 'me', 'look', 'at', 'implementation',
  'first', 'then', 'run', 'tests', 'again', 'fix', 'bug', 'in', 'parser', 'where', 'a', 'torn', 'write',
  'leaves', 'partial', 'JSON', 'object', 'user', 'wants', 'faster', 'startup', 'add', 'cache',
];
const UNICODE = ['→', 'é', '—', '…', '✓'];

function ident(rng) {
  const a = rng.pick(IDENTS);
  if (!rng.chance(0.4)) return a;
  const b = rng.pick(IDENTS);
  return a + b[0].toUpperCase() + b.slice(1);
}

function words(rng, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(WORDS));
  return out.join(' ');
}

function codeLine(rng, depth) {
  const ind = '  '.repeat(depth);
  switch (rng.int(0, 11)) {
    case 0: return `${ind}const ${ident(rng)} = await ${ident(rng)}.${ident(rng)}(${ident(rng)}, '${rng.pick(WORDS)}');`;
    case 1: return `${ind}if (${ident(rng)} === null) return ${ident(rng)};`;
    case 2: return `${ind}// ${words(rng, rng.int(3, 12))}`;
    case 3: return `${ind}export function ${ident(rng)}(${ident(rng)}: ${rng.pick(TYPES)}): ${rng.pick(TYPES)} {`;
    case 4: return `${ind}}`;
    case 5: return `${ind}"${ident(rng)}": "${words(rng, rng.int(1, 4))}",`;
    case 6: return `${ind}${rng.pick(KEYWORDS)} ${ident(rng)} = ${ident(rng)}[${rng.int(0, 99)}] ?? ${rng.int(0, 5000)};`;
    case 7: return `${ind}const re = /^(\\d+)\\.(\\w+)$/;\t// ${rng.pick(WORDS)}`;
    case 8: return `${ind}throw new Error(\`${words(rng, rng.int(2, 6))}: \${${ident(rng)}}\`);`;
    case 9: return `${ind}${ident(rng)}.push({ id: ${rng.int(1, 99999)}, name: "${rng.pick(IDENTS)}" });`;
    case 10: return '';
    default: return `${ind}log(\`${words(rng, rng.int(2, 5))} ${rng.chance(0.1) ? rng.pick(UNICODE) : ''}\`, ${ident(rng)});`;
  }
}

function proseLine(rng) {
  const s = words(rng, rng.int(6, 28));
  const tail = rng.chance(0.05) ? ` ${rng.pick(UNICODE)}` : '';
  return s[0].toUpperCase() + s.slice(1) + (rng.chance(0.2) ? ` \`${ident(rng)}\`` : '') + '.' + tail;
}

/**
 * Build a pool of ~`chars` escaped characters.
 * @returns {{esc: string, starts: Int32Array, n: number, slice(rng, min, max): {text: string, lines: number}}}
 */
function buildPool(rng, chars, makeLine) {
  const parts = [];
  const startsArr = [];
  let len = 0;
  let depth = 0;
  while (len < chars) {
    const raw = makeLine(rng, depth);
    if (raw.endsWith('{')) depth = Math.min(depth + 1, 5);
    else if (raw.trim() === '}') depth = Math.max(depth - 1, 0);
    const e = JSON.stringify(raw).slice(1, -1);
    startsArr.push(len);
    parts.push(e);
    len += e.length + 2; // + the `\n` escape
  }
  startsArr.push(len); // sentinel: end of last line + 2
  const esc = parts.join('\\n');
  const starts = Int32Array.from(startsArr);
  const n = startsArr.length - 1;
  return {
    esc,
    starts,
    n,
    /** A run of whole lines (count in [min, max]) as escaped JSON string content. */
    slice(r, min, max) {
      const count = Math.max(1, Math.min(n - 1, r.int(min, max)));
      const i = r.int(0, n - count);
      return { text: esc.slice(starts[i], starts[i + count] - 2), lines: count };
    },
  };
}

export function buildPools(rng) {
  return {
    code: buildPool(rng, 4_000_000, codeLine),
    prose: buildPool(rng, 400_000, (r) => proseLine(r)),
  };
}

export { IDENTS, WORDS };
