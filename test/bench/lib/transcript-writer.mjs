/**
 * Writes one Claude Code transcript (a session file or a sub-agent file) line by line, in the real
 * schema (shared/spec/claude-code-facts.md §1-§2). Lines are built from string templates with
 * pre-escaped text so that gigabytes can be generated quickly; output is buffered into multi-MB
 * chunks and written with writeSync.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { IDENTS } from './text-pool.mjs';

const CHUNK = 4 * 1024 * 1024;

export class FileSink {
  constructor(file) {
    this.file = file;
    this.fd = openSync(file, 'w');
    this.parts = [];
    this.pending = 0;
    /** Characters written so far (including pending): what size targets are compared with. */
    this.chars = 0;
    this.bytes = 0;
    this.lines = 0;
  }

  write(line) {
    this.parts.push(line, '\n');
    this.pending += line.length + 1;
    this.chars += line.length + 1;
    this.lines++;
    if (this.pending >= CHUNK) this.flush();
  }

  flush() {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.pending = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
  }
}

const TOOLS = ['Read', 'Bash', 'Edit', 'Grep', 'Glob', 'Write', 'TodoWrite', 'Task', 'WebFetch'];
const TOOL_WEIGHTS = [30, 20, 15, 10, 6, 5, 6, 3, 3];
const BASH = ['npm test', 'npm run build', 'git status', 'git diff --stat', 'ls -la src', 'npx tsc --noEmit', 'node scripts/check.mjs', 'git log --oneline -20'];

export const SYNTHETIC_USAGE = '{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"service_tier":null,"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0}}';

/** Add one response's usage to a {input, output, cacheCreation, cacheRead, messages} total. */
export function addUsage(total, u) {
  total.input += u.input;
  total.output += u.output;
  total.cacheCreation += u.c5 + u.c1;
  total.cacheRead += u.cr;
  total.messages += 1;
}

export function emptyTotals() {
  return { input: 0, output: 0, cacheCreation: 0, cacheRead: 0, messages: 0 };
}

export class TranscriptWriter {
  /**
   * @param {object} o
   * @param {FileSink} o.sink
   * @param {import('./rng.mjs').Rng} o.rng
   * @param {object} o.pools from buildPools
   * @param {string} o.cwd
   * @param {string} o.sessionId
   * @param {string} o.version
   * @param {string} o.model
   * @param {boolean} o.legacy earlier lines of a response carry a placeholder output_tokens
   * @param {string} [o.agentId] sub-agent file (isSidechain: true)
   * @param {object} o.stats shared counters: {lines: {kind: n}, daily: {date: totals}}
   * @param {(rec: object) => void} [o.onUsageLine] called for every assistant line that carries usage
   * @param {() => number} [o.timeTarget] a lower bound for the next line's time (ms)
   */
  constructor(o) {
    Object.assign(this, o);
    this.parent = null;
    this.cur = 0;
    const sidechain = o.agentId !== undefined;
    this.env = `"isSidechain":${sidechain},"userType":"external","cwd":"${o.cwd}","sessionId":"${o.sessionId}","version":"${o.version}","gitBranch":"${o.gitBranch ?? 'main'}"${sidechain ? `,"agentId":"${o.agentId}"` : ''}`;
    this.ctx = o.rng.int(12_000, 22_000); // system prompt + tools
    this.cached = 0;
    this.cacheMode = o.rng.pick(['1h', '1h', '5m', 'mix']);
    this.compactAt = o.rng.int(140_000, 175_000);
  }

  /** Time of the next line (ms since epoch): never goes backwards. */
  clock() {
    const step = this.rng.int(15, 700);
    const target = this.timeTarget ? this.timeTarget() : 0;
    this.cur = Math.max(this.cur + step, target);
    return this.cur;
  }

  setTime(ms) {
    if (ms > this.cur) this.cur = ms;
  }

  count(kind) {
    this.stats.lines[kind] = (this.stats.lines[kind] ?? 0) + 1;
  }

  pu() {
    return this.parent === null ? 'null' : `"${this.parent}"`;
  }

  filePath() {
    const r = this.rng;
    return `${this.cwd}/src/${r.pick(IDENTS)}/${r.pick(IDENTS)}.ts`;
  }

  summary() {
    const text = this.pools.prose.slice(this.rng, 1, 1).text.slice(0, 80);
    this.sink.write(`{"type":"summary","summary":"${text}","leafUuid":"${this.rng.uuid()}"}`);
    this.count('summary');
  }

  snapshot(messageId) {
    const r = this.rng;
    const iso = new Date(this.cur || Date.now()).toISOString();
    let tracked = '';
    if (r.chance(0.4)) {
      const n = r.int(1, 4);
      const items = [];
      for (let i = 0; i < n; i++) items.push(`"${this.filePath()}":{"backupFileName":"${r.hex(16)}@v${r.int(1, 9)}","version":${r.int(1, 9)},"backupTime":"${iso}"}`);
      tracked = items.join(',');
    }
    this.sink.write(`{"type":"file-history-snapshot","messageId":"${messageId}","snapshot":{"messageId":"${messageId}","trackedFileBackups":{${tracked}},"timestamp":"${iso}"},"isSnapshotUpdate":false}`);
    this.count('file-history-snapshot');
  }

  /** A user prompt (preceded by its file-history snapshot on the main chain). */
  prompt(text) {
    const r = this.rng;
    const uuid = r.uuid();
    const ts = this.clock();
    if (this.agentId === undefined) this.snapshot(uuid);
    const content = text ?? this.pools.prose.slice(r, 1, 6).text;
    this.sink.write(`{"parentUuid":${this.pu()},${this.env},"type":"user","message":{"role":"user","content":"${content}"},"uuid":"${uuid}","timestamp":"${new Date(ts).toISOString()}"}`);
    this.parent = uuid;
    this.ctx += content.length >> 2;
    this.count('user');
  }

  toolInput(name) {
    const r = this.rng;
    const P = this.pools;
    switch (name) {
      case 'Read': return r.chance(0.2) ? `{"file_path":"${this.filePath()}","offset":${r.int(1, 400)},"limit":${r.int(50, 400)}}` : `{"file_path":"${this.filePath()}"}`;
      case 'Edit': return `{"file_path":"${this.filePath()}","old_string":"${P.code.slice(r, 1, 6).text}","new_string":"${P.code.slice(r, 1, 9).text}"}`;
      case 'Write': return `{"file_path":"${this.filePath()}","content":"${P.code.slice(r, 20, 300).text}"}`;
      case 'Bash': return `{"command":"${r.pick(BASH)}","description":"${P.prose.slice(r, 1, 1).text.slice(0, 40)}"}`;
      case 'Grep': return `{"pattern":"${r.pick(IDENTS)}","path":"src","output_mode":"${r.pick(['content', 'files_with_matches'])}"}`;
      case 'Glob': return `{"pattern":"src/**/*.${r.pick(['ts', 'tsx', 'json', 'md'])}"}`;
      case 'Task': return `{"description":"${r.pick(IDENTS)} investigation","prompt":"${P.prose.slice(r, 3, 10).text}","subagent_type":"${r.pick(['general-purpose', 'Explore', 'Plan'])}"}`;
      case 'WebFetch': return `{"url":"https://docs.example.com/${r.pick(IDENTS)}/${r.pick(IDENTS)}","prompt":"${P.prose.slice(r, 1, 2).text}"}`;
      default: {
        const n = r.int(2, 7);
        const todos = [];
        for (let i = 0; i < n; i++) {
          const t = P.prose.slice(r, 1, 1).text.slice(0, 60);
          todos.push(`{"content":"${t}","status":"${r.pick(['pending', 'in_progress', 'completed'])}","activeForm":"${t}"}`);
        }
        return `{"todos":[${todos.join(',')}]}`;
      }
    }
  }

  /**
   * One API response, written as one line per content block, all sharing message.id + requestId.
   * @param {object} o
   * @param {number} [o.tools] number of tool_use blocks (0 = a final text answer)
   * @param {string[]} [o.toolNames] explicit tool names
   * @param {{input:number, output:number, c5:number, c1:number, cr:number}} [o.usage] usage to write (else modelled)
   * @param {number} [o.input] input_tokens to write (cache figures still modelled)
   * @param {number} [o.output] final output_tokens to write
   * @returns {{toolUses: {id: string, name: string}[], usage: object, key: string, lastTs: number}}
   */
  call(o = {}) {
    const r = this.rng;
    const P = this.pools;
    const names = o.toolNames ?? Array.from({ length: o.tools ?? 0 }, () => r.weighted(TOOLS, TOOL_WEIGHTS));
    const blocks = [];
    let contentChars = 0;
    if (r.chance(0.35)) {
      const t = P.prose.slice(r, 2, 14).text;
      contentChars += t.length;
      blocks.push(`{"type":"thinking","thinking":"${t}","signature":"${r.base62(r.int(200, 600))}"}`);
    }
    if (names.length === 0 || r.chance(0.5)) {
      const t = P.prose.slice(r, 1, names.length === 0 ? 10 : 3).text;
      contentChars += t.length;
      blocks.push(`{"type":"text","text":"${t}"}`);
    }
    const toolUses = [];
    for (const name of names) {
      const id = `toolu_01${r.base62(22)}`;
      const input = this.toolInput(name);
      contentChars += input.length;
      blocks.push(`{"type":"tool_use","id":"${id}","name":"${name}","input":${input}}`);
      toolUses.push({ id, name });
    }

    let u = o.usage;
    if (u === undefined) {
      const input = o.input ?? (r.chance(0.9) ? r.int(1, 12) : r.int(200, 4000));
      const fresh = Math.max(0, this.ctx - this.cached);
      let c5 = 0;
      let c1 = 0;
      if (this.cacheMode === '1h') c1 = fresh;
      else if (this.cacheMode === '5m') c5 = fresh;
      else { c5 = Math.floor(fresh * r.next()); c1 = fresh - c5; }
      u = { input, output: o.output ?? (contentChars >> 2) + r.int(5, 80), c5, c1, cr: this.cached };
      this.cached = this.ctx;
    }
    this.ctx += u.input + u.output;

    const msgId = `msg_01${r.base62(22)}`;
    const reqId = `req_011${r.base62(21)}`;
    const key = `${msgId}:${reqId}`;
    const stop = names.length > 0 ? '"tool_use"' : '"end_turn"';
    let ts = 0;
    let keptTs = 0; // time of the first copy with the most tokens: the one a max-dedup keeps
    let keptOut = -1;
    for (let i = 0; i < blocks.length; i++) {
      const last = i === blocks.length - 1;
      const out = this.legacy && !last ? r.int(1, 12) : u.output;
      // Lines of one response are written milliseconds apart: never across a night gap.
      if (i === 0) ts = this.clock();
      else ts = this.cur += r.int(15, 700);
      if (out > keptOut) { keptOut = out; keptTs = ts; }
      const usage = `{"input_tokens":${u.input},"cache_creation_input_tokens":${u.c5 + u.c1},"cache_read_input_tokens":${u.cr},"cache_creation":{"ephemeral_5m_input_tokens":${u.c5},"ephemeral_1h_input_tokens":${u.c1}},"output_tokens":${out},"service_tier":"standard"}`;
      const uuid = r.uuid();
      this.sink.write(`{"parentUuid":${this.pu()},${this.env},"message":{"id":"${msgId}","type":"message","role":"assistant","model":"${this.model}","content":[${blocks[i]}],"stop_reason":${last ? stop : 'null'},"stop_sequence":null,"usage":${usage}},"requestId":"${reqId}","type":"assistant","uuid":"${uuid}","timestamp":"${new Date(ts).toISOString()}"}`);
      this.parent = uuid;
      this.count('assistant');
      this.onUsageLine?.({ key, ts, input: u.input, output: out, c5: u.c5, c1: u.c1, cr: u.cr, toolUses: i >= blocks.length - names.length ? 1 : 0, sidechain: this.agentId !== undefined, kind: 'normal' });
    }
    if (this.stats.daily) {
      const day = new Date(keptTs).toISOString().slice(0, 10);
      const d = (this.stats.daily[day] ??= emptyTotals());
      addUsage(d, u);
    }
    return { toolUses, usage: u, key, lastTs: ts };
  }

  /** The user line carrying a tool's result (plus the tool-specific top-level toolUseResult). */
  toolResult(tu, o = {}) {
    const r = this.rng;
    const P = this.pools;
    const ts = this.clock();
    const uuid = r.uuid();
    let content;
    let tur;
    let isError = '';
    if (o.text !== undefined) {
      content = o.text;
      tur = `{"status":"completed","content":[{"type":"text","text":"${content}"}],"totalDurationMs":${r.int(20_000, 400_000)},"totalTokens":${r.int(10_000, 90_000)},"totalToolUseCount":${r.int(2, 30)}}`;
    } else if (r.chance(0.03)) {
      content = '<tool_use_error>File does not exist.</tool_use_error>';
      tur = '"Error: File does not exist."';
      isError = ',"is_error":true';
    } else {
      const fp = this.filePath();
      switch (tu.name) {
        case 'Read': {
          const s = P.code.slice(r, 5, Math.min(2000, Math.round(r.lognormal(150, 1.0))));
          content = s.text;
          tur = `{"type":"text","file":{"filePath":"${fp}","content":"${s.text}","numLines":${s.lines},"startLine":1,"totalLines":${s.lines}}}`;
          break;
        }
        case 'Edit': {
          const orig = P.code.slice(r, 20, Math.min(1500, Math.round(r.lognormal(150, 0.9))));
          const snip = P.code.slice(r, 6, 20).text;
          content = `The file ${fp} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\\n${snip}`;
          tur = `{"filePath":"${fp}","oldString":"${P.code.slice(r, 1, 4).text}","newString":"${P.code.slice(r, 1, 6).text}","originalFile":"${orig.text}","structuredPatch":[{"oldStart":${r.int(1, 300)},"oldLines":${r.int(1, 9)},"newStart":${r.int(1, 300)},"newLines":${r.int(1, 12)},"lines":["${P.code.slice(r, 1, 1).text}"]}],"userModified":false,"replaceAll":false}`;
          break;
        }
        case 'Write': {
          const s = P.code.slice(r, 20, 300).text;
          content = `File created successfully at: ${fp}`;
          tur = `{"type":"create","filePath":"${fp}","content":"${s}","structuredPatch":[]}`;
          break;
        }
        case 'Bash': {
          const s = P.code.slice(r, 3, Math.min(600, Math.round(r.lognormal(30, 1.1)))).text;
          content = s;
          tur = `{"stdout":"${s}","stderr":"","interrupted":false,"isImage":false}`;
          break;
        }
        case 'Grep': {
          const s = P.code.slice(r, 2, 80).text;
          content = s;
          tur = `{"mode":"content","numFiles":${r.int(1, 20)},"filenames":[],"content":"${s}","numLines":${r.int(2, 80)}}`;
          break;
        }
        case 'Glob': {
          const n = r.int(3, 60);
          const files = [];
          for (let i = 0; i < n; i++) files.push(this.filePath());
          content = files.join('\\n');
          tur = `{"filenames":["${files.join('","')}"],"durationMs":${r.int(2, 90)},"numFiles":${n},"truncated":false}`;
          break;
        }
        case 'Task': {
          const s = P.prose.slice(r, 10, 40).text;
          content = s;
          tur = `{"status":"completed","prompt":"${P.prose.slice(r, 2, 5).text}","agentId":"${r.hex(7)}","content":[{"type":"text","text":"${s}"}],"totalDurationMs":${r.int(20_000, 400_000)},"totalTokens":${r.int(10_000, 90_000)},"totalToolUseCount":${r.int(2, 30)}}`;
          break;
        }
        case 'WebFetch': {
          const s = P.prose.slice(r, 10, 60).text;
          content = s;
          tur = `{"bytes":${r.int(2000, 90_000)},"code":200,"codeText":"OK","result":"${s}","durationMs":${r.int(300, 9000)},"url":"https://docs.example.com/${r.pick(IDENTS)}"}`;
          break;
        }
        default:
          content = 'Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable';
          tur = '{"oldTodos":[],"newTodos":[]}';
      }
    }
    this.sink.write(`{"parentUuid":${this.pu()},${this.env},"type":"user","message":{"role":"user","content":[{"tool_use_id":"${tu.id}","type":"tool_result","content":"${content}"${isError}}]},"uuid":"${uuid}","timestamp":"${new Date(ts).toISOString()}","toolUseResult":${tur}}`);
    this.parent = uuid;
    this.ctx += content.length >> 2;
    this.count('user');
    this.count('tool_result');
  }

  turnDuration(ms) {
    const ts = this.clock();
    const uuid = this.rng.uuid();
    this.sink.write(`{"parentUuid":${this.pu()},${this.env},"type":"system","subtype":"turn_duration","durationMs":${ms},"timestamp":"${new Date(ts).toISOString()}","uuid":"${uuid}","isMeta":false}`);
    this.parent = uuid;
    this.count('system');
    this.count('turn_duration');
  }

  /** compact_boundary + the isCompactSummary user line that follows it. */
  compact(trigger) {
    const r = this.rng;
    const pre = this.ctx;
    const post = r.int(6_000, 22_000);
    let ts = this.clock();
    const b = r.uuid();
    this.sink.write(`{"parentUuid":null,"logicalParentUuid":${this.pu()},${this.env},"type":"system","subtype":"compact_boundary","content":"Conversation compacted","isMeta":false,"timestamp":"${new Date(ts).toISOString()}","uuid":"${b}","level":"info","compactMetadata":{"trigger":"${trigger}","preTokens":${pre},"postTokens":${post}}}`);
    this.count('system');
    this.count('compact_boundary');
    ts = this.clock();
    const s = r.uuid();
    this.sink.write(`{"parentUuid":"${b}",${this.env},"type":"user","message":{"role":"user","content":"This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\\n${this.pools.prose.slice(r, 15, 60).text}"},"isVisibleInTranscriptOnly":true,"isCompactSummary":true,"uuid":"${s}","timestamp":"${new Date(ts).toISOString()}"}`);
    this.count('user');
    this.count('compact_summary');
    this.parent = s;
    this.ctx = post + r.int(12_000, 20_000);
    this.cached = 0;
    this.compactAt = r.int(140_000, 175_000);
  }

  /** Lines Claude Code writes itself: model "<synthetic>", zero usage, no requestId. */
  synthetic(kind, resetUnix) {
    const r = this.rng;
    const ts = this.clock();
    const uuid = r.uuid();
    let text;
    let err = false;
    if (kind === 'no-response') text = 'No response requested.';
    else if (kind === 'limit-old') { text = `Claude AI usage limit reached|${resetUnix}`; err = true; }
    else if (kind === 'limit-new') { text = "You've hit your limit · resets 8pm (Europe/Paris)"; err = true; }
    else { text = 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'; err = true; }
    this.sink.write(`{"parentUuid":${this.pu()},${this.env},"type":"assistant","uuid":"${uuid}","timestamp":"${new Date(ts).toISOString()}","message":{"id":"${r.uuid()}","container":null,"model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","stop_sequence":"","type":"message","usage":${SYNTHETIC_USAGE},"content":[{"type":"text","text":${JSON.stringify(text)}}]},"isApiErrorMessage":${err}}`);
    this.parent = uuid;
    this.count('assistant');
    this.count(err ? 'apiError' : 'synthetic');
    this.onUsageLine?.({ key: null, ts, input: 0, output: 0, c5: 0, c1: 0, cr: 0, kind: err ? 'apiError' : 'synthetic' });
  }
}
