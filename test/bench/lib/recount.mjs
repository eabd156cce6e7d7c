/**
 * An independent recount of the tokens in a time range, straight from the JSONL files (no shared
 * code with the generator's bookkeeping): JSON.parse every assistant line, skip <synthetic> and
 * API-error lines, deduplicate on message.id + requestId keeping the copy with the most tokens.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

export function listJsonl(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * @param {string} root config root (holds projects/)
 * @param {number} fromMs inclusive
 * @param {number} toMs inclusive
 * @param {{allFiles?: boolean}} [o] by default files whose mtime < fromMs are skipped (the
 *   generator sets mtime = last event); allFiles reads every file.
 */
export async function recount(root, fromMs, toMs, o = {}) {
  const best = new Map();
  let lines = 0;
  let skipped = 0;
  let filesRead = 0;
  let firstTs = Infinity;
  let lastTs = -Infinity;
  for (const file of listJsonl(path.join(root, 'projects'))) {
    if (!o.allFiles && statSync(file).mtimeMs < fromMs) continue;
    filesRead++;
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of rl) {
      lines++;
      if (!line.includes('"usage"')) continue;
      let e;
      try {
        e = JSON.parse(line);
      } catch {
        skipped++;
        continue;
      }
      const u = e?.message?.usage;
      if (e.type !== 'assistant' || !u) continue;
      const ts = Date.parse(e.timestamp);
      if (!(ts >= fromMs && ts <= toMs)) continue;
      if (e.message.model === '<synthetic>' || e.isApiErrorMessage === true) continue;
      const cc = u.cache_creation;
      const rec = {
        ts,
        input: u.input_tokens ?? 0,
        output: u.output_tokens ?? 0,
        cacheCreation: cc ? (cc.ephemeral_5m_input_tokens ?? 0) + (cc.ephemeral_1h_input_tokens ?? 0) : (u.cache_creation_input_tokens ?? 0),
        cacheRead: u.cache_read_input_tokens ?? 0,
      };
      const key = `${e.message.id}:${e.requestId}`;
      const prev = best.get(key);
      const sum = (x) => x.input + x.output + x.cacheCreation + x.cacheRead;
      if (prev === undefined || sum(rec) > sum(prev)) best.set(key, rec);
    }
  }
  const t = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0, messages: best.size };
  for (const r of best.values()) {
    t.input += r.input;
    t.output += r.output;
    t.cacheCreation += r.cacheCreation;
    t.cacheRead += r.cacheRead;
    firstTs = Math.min(firstTs, r.ts);
    lastTs = Math.max(lastTs, r.ts);
  }
  return { ...t, filesRead, lines, unparsable: skipped, firstTs, lastTs };
}
