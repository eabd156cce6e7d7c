/**
 * The session monitor (spec "Session Monitor"): which Claude Code sessions are live, each with a
 * 5-hour session window, its tokens and the 1 h / 30 min / 5 min warnings. Three sources, merged:
 * the hooks' `logs/sessions.jsonl` (session_start/end, tool calls), Claude Code's own live-session
 * files `sessions/<pid>.json` (undocumented; a crash can leave a stale one, so the pid is checked),
 * and transcript activity (so sessions are seen even before `cco install`). Pure over its inputs
 * except `readLiveSessionFiles`, which reads the pid files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ToolEvent, UsageEvent } from '../../../shared/events.js';
import { zeroTokens } from '../../../shared/events.js';
import { WINDOW_MS, type TokenKind } from '../../../shared/plans.js';
import { cacheExpiresAt } from '../../../shared/prompt-cache.js';
import { SESSION_WARNINGS, type SessionInfo, type SessionWarningId } from '../../../shared/sessions.js';
import { addTokens, computeWindows, countedTokens, type QuotaWindow } from '../quota.js';
import { KEEP_SESSION_LOGS, readSessionLogFile, rotatedSessionLogPath, sessionLogPath, type SessionLogEvent, type SessionLogRead } from './session-log.js';
import { readRegularFileSync } from '../regular-file.js';
import { isRecord } from '../store.js';
import { findOffsetSince } from '../transcripts/reader.js';
import { isProcessAlive } from '../process-alive.js';

/** A session with no hook end, no live pid file and no transcript line for this long is over. */
export const IDLE_AFTER_MS = 30 * 60_000;
const MINUTE_MS = 60_000;

export interface LiveSessionFile {
  pid: number;
  sessionId: string;
  cwd: string | null;
  startedAt: number | null;
  status: 'busy' | 'idle' | 'unknown';
}

/** A live-session file is a few hundred bytes; a bigger one is not Claude Code's and is not read. */
const MAX_LIVE_SESSION_FILE_BYTES = 64 * 1024;

/**
 * Claude Code's `<root>/sessions/<pid>.json` files whose process is still running. Only regular
 * files are opened (a FIFO or a link to /dev/zero there must not hang the caller).
 */
export function readLiveSessionFiles(roots: readonly string[], alive: (pid: number) => boolean = isProcessAlive): LiveSessionFile[] {
  const live: LiveSessionFile[] = [];
  for (const root of roots) {
    const dir = path.join(root, 'sessions');
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        const raw: unknown = JSON.parse(readRegularFileSync(path.join(dir, name), MAX_LIVE_SESSION_FILE_BYTES));
        if (!isRecord(raw) || typeof raw.sessionId !== 'string') continue;
        const pid = typeof raw.pid === 'number' ? raw.pid : Number.parseInt(name, 10);
        if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) continue;
        const started = typeof raw.startedAt === 'number' ? raw.startedAt : typeof raw.startedAt === 'string' ? Date.parse(raw.startedAt) : NaN;
        live.push({
          pid,
          sessionId: raw.sessionId,
          cwd: typeof raw.cwd === 'string' ? raw.cwd : null,
          startedAt: Number.isFinite(started) ? started : null,
          status: raw.status === 'busy' || raw.status === 'idle' ? raw.status : 'unknown',
        });
      } catch {
        // A file being rewritten, or not ours to understand: skip it.
      }
    }
  }
  return live;
}

export interface SessionMonitorInput {
  now: number;
  log: readonly SessionLogEvent[];
  liveFiles: readonly LiveSessionFile[];
  usage: readonly UsageEvent[];
  tools: readonly ToolEvent[];
  countedKinds: readonly TokenKind[];
}

interface Draft {
  sessionId: string;
  cwd: string | null;
  agent: string | null;
  transcriptPath: string | null;
  detectedBy: SessionInfo['detectedBy'];
  startedAt: number;
  lastActivity: number;
  ended: boolean;
  pidLive: boolean;
  status: SessionInfo['status'];
  estimated: number;
  loggedTools: number;
}

function draftFor(drafts: Map<string, Draft>, sessionId: string, at: number, detectedBy: Draft['detectedBy']): Draft {
  let draft = drafts.get(sessionId);
  if (!draft) {
    draft = { sessionId, cwd: null, agent: null, transcriptPath: null, detectedBy, startedAt: at, lastActivity: at, ended: false, pidLive: false, status: 'unknown', estimated: 0, loggedTools: 0 };
    drafts.set(sessionId, draft);
  }
  draft.startedAt = Math.min(draft.startedAt, at);
  draft.lastActivity = Math.max(draft.lastActivity, at);
  return draft;
}

/** The live sessions at `now`, most recently active first. */
export function monitorSessions(input: SessionMonitorInput): SessionInfo[] {
  const { now } = input;
  const since = now - WINDOW_MS;
  const drafts = new Map<string, Draft>();
  for (const event of input.log) {
    const at = Date.parse(event.timestamp);
    if (!Number.isFinite(at) || at > now || at < since) continue;
    const draft = draftFor(drafts, event.session_id, at, 'hook');
    draft.cwd = event.cwd ?? draft.cwd;
    if (event.type === 'session_start') {
      draft.agent = event.agent ?? draft.agent;
      draft.transcriptPath = event.transcript_path ?? draft.transcriptPath;
      draft.ended = false;
      // A resumed or cleared session keeps its id: its window restarts with the new start.
      if (event.source === 'startup' || event.source === null) draft.startedAt = at;
    } else if (event.type === 'session_end') {
      draft.ended = true;
    } else if (event.type === 'tool_call') {
      draft.estimated += event.estimated_tokens;
      draft.loggedTools += 1;
    }
  }
  for (const file of input.liveFiles) {
    const draft = draftFor(drafts, file.sessionId, file.startedAt ?? now, 'pid-file');
    draft.pidLive = true;
    draft.ended = false;
    draft.status = file.status;
    draft.cwd = draft.cwd ?? file.cwd;
    if (file.startedAt !== null && file.startedAt >= since) draft.startedAt = Math.max(draft.startedAt, file.startedAt);
  }
  // Every message of each session, not only the recent ones: a session's window starts at its
  // first message, which can lie hours back (the caller loads events back to where the chain of
  // windows is certain, as the quota does).
  const byUsage = new Map<string, UsageEvent[]>();
  for (const event of input.usage) {
    if (event.timestamp > now || event.sidechain || !event.sessionId) continue;
    const list = byUsage.get(event.sessionId) ?? [];
    list.push(event);
    byUsage.set(event.sessionId, list);
  }
  const windows = new Map<string, QuotaWindow>();
  for (const [sessionId, events] of byUsage) {
    events.sort((a, b) => a.timestamp - b.timestamp);
    const last = computeWindows(events, 'first-token').at(-1) as QuotaWindow;
    windows.set(sessionId, last);
    // Without hooks a session is seen only while its transcript is active.
    if (!drafts.has(sessionId) && now - last.lastEvent > IDLE_AFTER_MS) continue;
    const draft = draftFor(drafts, sessionId, last.start, 'transcript');
    draft.lastActivity = Math.max(draft.lastActivity, last.lastEvent);
  }
  const toolTimes = new Map<string, number[]>();
  for (const tool of input.tools) {
    if (tool.timestamp > now) continue;
    const list = toolTimes.get(tool.sessionId) ?? [];
    list.push(tool.timestamp);
    toolTimes.set(tool.sessionId, list);
  }

  const sessions: SessionInfo[] = [];
  for (const draft of drafts.values()) {
    // With messages, the session's window is the last of its chain (the quota's rule: it opens at
    // the first message and the first message after it ends opens the next); a hook or pid-file
    // start stands in only until the first message.
    const window = windows.get(draft.sessionId);
    if (window) draft.startedAt = window.start;
    const usage = window ? (byUsage.get(draft.sessionId) ?? []).filter((event) => event.timestamp >= window.start) : [];
    const live = draft.pidLive || (!draft.ended && now - draft.lastActivity <= IDLE_AFTER_MS) || (!draft.ended && draft.detectedBy === 'hook' && now - draft.startedAt < WINDOW_MS && !isIdleByTranscript(draft, now));
    if (!live) continue;
    const breakdown = zeroTokens();
    for (const event of usage) addTokens(breakdown, event.tokens);
    const windowEnd = draft.startedAt + WINDOW_MS;
    const remaining = Math.max(0, windowEnd - now);
    const passed = SESSION_WARNINGS.filter((w) => remaining <= w.minutes * MINUTE_MS).map((w) => w.id);
    const upcoming = SESSION_WARNINGS.find((w) => remaining > w.minutes * MINUTE_MS);
    // The main chain's last response (sorted above; sub-agents are left out of byUsage).
    const lastResponse = byUsage.get(draft.sessionId)?.at(-1) ?? null;
    sessions.push({
      sessionId: draft.sessionId,
      cwd: draft.cwd,
      agent: draft.agent,
      transcriptPath: draft.transcriptPath,
      detectedBy: draft.detectedBy,
      startedAt: new Date(draft.startedAt).toISOString(),
      windowEnd: new Date(windowEnd).toISOString(),
      elapsedMinutes: Math.floor((now - draft.startedAt) / MINUTE_MS),
      remainingMinutes: Math.floor(remaining / MINUTE_MS),
      progressPercent: Math.min(100, Math.round(((now - draft.startedAt) / WINDOW_MS) * 100)),
      lastActivity: new Date(draft.lastActivity).toISOString(),
      status: draft.status,
      tokens: {
        source: usage.length > 0 ? 'transcript' : 'estimate',
        breakdown,
        counted: usage.length > 0 ? countedTokens(breakdown, input.countedKinds) : draft.estimated,
        messages: usage.length,
      },
      toolCalls: Math.max((toolTimes.get(draft.sessionId) ?? []).filter((at) => at >= draft.startedAt).length, draft.loggedTools),
      cacheExpiresAt: cacheExpiresAt(lastResponse?.timestamp ?? null),
      cacheColdCost: lastResponse ? lastResponse.tokens.input + lastResponse.tokens.cacheCreation + lastResponse.tokens.cacheRead : null,
      warningsPassed: passed,
      nextWarning: upcoming ? { id: upcoming.id, at: new Date(windowEnd - upcoming.minutes * MINUTE_MS).toISOString() } : null,
    });
  }
  return sessions.sort((a, b) => Date.parse(b.lastActivity) - Date.parse(a.lastActivity));
}

/** A hook-started session whose last sign of life is older than the idle limit. */
function isIdleByTranscript(draft: Draft, now: number): boolean {
  return now - draft.lastActivity > IDLE_AFTER_MS;
}

/** Session-window warnings passed between two observations, per session (for the notifier). */
export function crossedSessionWarnings(
  previous: readonly SessionInfo[] | null,
  next: readonly SessionInfo[],
): { sessionId: string; warning: SessionWarningId }[] {
  const before = new Map((previous ?? []).map((s) => [`${s.sessionId}@${s.startedAt}`, new Set(s.warningsPassed)]));
  const crossed: { sessionId: string; warning: SessionWarningId }[] = [];
  for (const session of next) {
    const seen = before.get(`${session.sessionId}@${session.startedAt}`);
    for (const id of session.warningsPassed) if (!seen?.has(id)) crossed.push({ sessionId: session.sessionId, warning: id });
  }
  return crossed;
}

/** The offset of the first line at or after `sinceMs` (with the reader's slack); null when missing. */
function offsetSince(file: string, sinceMs: number): number | null {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return null;
  }
  return size > 0 ? findOffsetSince(file, size, sinceMs) : 0;
}

function inodeOf(file: string): number | null {
  try {
    return fs.statSync(file).ino;
  } catch {
    return null;
  }
}

/**
 * Follows `logs/sessions.jsonl` across calls: the first read starts at the last five hours (found
 * from the file's tail, and in the newest rotated file when the window began before the
 * rotation), later reads take only appended lines. After a rotation the lines the old file got
 * since the last read are taken from sessions.1.jsonl before the new file is read. Old events are
 * dropped.
 */
export class SessionLogFollower {
  private offset = -1;
  /** The inode last read: a different one at the log's name means it was rotated. */
  private ino: number | null = null;
  private events: SessionLogEvent[] = [];
  skipped = 0;

  constructor(private readonly root: string) {}

  read(now: number): SessionLogEvent[] {
    const file = sessionLogPath(this.root);
    const fresh: SessionLogEvent[] = [];
    const take = (result: SessionLogRead) => {
      this.skipped += result.skipped;
      fresh.push(...result.events);
    };
    if (this.offset < 0) {
      const start = offsetSince(file, now - WINDOW_MS);
      if (!start) {
        // The window may reach back past the last rotation.
        const older = rotatedSessionLogPath(this.root, 1);
        const from = offsetSince(older, now - WINDOW_MS);
        if (from !== null) take(readSessionLogFile(older, from));
      }
      this.offset = start ?? 0;
      this.ino = inodeOf(file);
    }
    // Twice at most: a rotation between the inode check and the read shows up in the read.
    for (let attempt = 0; attempt < 2; attempt++) {
      const current = inodeOf(file);
      if (this.ino !== null && current !== this.ino) {
        // Where the file read last went (sessions.1.jsonl, further if rotated again since).
        let moved = 0;
        for (let n = 1; n <= KEEP_SESSION_LOGS && moved === 0; n++) if (inodeOf(rotatedSessionLogPath(this.root, n)) === this.ino) moved = n;
        // Its rest, then the files rotated after it, oldest first.
        for (let n = moved; n >= 1; n--) take(readSessionLogFile(rotatedSessionLogPath(this.root, n), n === moved ? this.offset : 0));
        // Deleted or replaced rather than rotated: what it said no longer holds.
        if (moved === 0) this.events = [];
        this.offset = 0;
        this.ino = current;
      }
      const result = readSessionLogFile(file, this.offset);
      if (result.ino !== null && this.ino !== null && result.ino !== this.ino && attempt === 0) continue;
      if (result.restarted && result.ino === this.ino) this.events = [];
      this.ino = result.ino;
      this.offset = result.endOffset;
      take(result);
      break;
    }
    const keepFrom = now - WINDOW_MS - IDLE_AFTER_MS;
    this.events = [...this.events, ...fresh].filter((event) => Date.parse(event.timestamp) >= keepFrom);
    return this.events;
  }
}
