/**
 * The popover's two lists: the live Claude Code sessions with their context, and every queued
 * session with its state (a Start button for each that can start now, "waiting on X", the
 * scheduled time, running, ended?). Rows are rebuilt on each Snapshot;
 * a focused Start button keeps its focus across the rebuild.
 */
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { contextLevelTone } from '../../shared/context-levels.js';
import type { QueueEntry, QueueItem } from '../../shared/queue-snapshot.js';
import { cacheColdText } from '../../shared/prompt-cache.js';
import type { SessionInfo } from '../../shared/sessions.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { bar, titleCase } from './bars.js';
import { byId, fill, h, setText } from './dom.js';
import { formatSpan, type Locale } from './locale.js';
import { contextOf, entriesOf, sessionName } from './model.js';

const MAX_SESSIONS = 4;

export function renderSessions(snapshot: Snapshot, l: Locale): void {
  const list = byId('sessions-list');
  setText(byId('sessions-count'), snapshot.sessions.length === 0 ? '' : l.integer(snapshot.sessions.length));
  if (snapshot.sessions.length === 0) {
    fill(list, h('li', { class: 'empty' }, 'No Claude Code session is running.'));
    return;
  }
  const now = Date.parse(snapshot.generatedAt);
  const shown = snapshot.sessions.slice(0, MAX_SESSIONS).map((session) => sessionRow(session, contextOf(snapshot, session.sessionId), l, now));
  const more = snapshot.sessions.length - MAX_SESSIONS;
  fill(list, ...shown, more > 0 ? h('li', { class: 'empty' }, `and ${l.integer(more)} more`) : null);
}

function sessionRow(session: SessionInfo, context: ContextSnapshot | null, l: Locale, now: number): HTMLLIElement {
  const name = sessionName(context?.cwd ?? session.cwd, session.sessionId);
  // An older engine's Snapshot has no cacheExpiresAt: nothing is said then.
  const cache = cacheColdText(session.cacheExpiresAt ?? null, now);
  const left = `${formatSpan(session.remainingMinutes * 60_000, l)} left${cache === null ? '' : ` · ${cache}`}`;
  const status = session.status === 'unknown' ? null : h('span', { class: `status status-${session.status}` }, session.status);
  const title = h('div', { class: 'row-title' }, h('span', { class: 'row-name', title: session.cwd ?? session.sessionId }, name), status);
  if (!context || context.percent === null) {
    return h('li', { class: 'row' }, h('div', { class: 'row-main' }, title, h('div', { class: 'row-sub' }, `${l.compact(session.tokens.counted)} tokens · ${left}`)));
  }
  const levelName = context.level ? ` · ${titleCase(context.level)}` : '';
  // Older Snapshots (a newer popover against an older engine) have no autoCompact part.
  const tokensLeft = context.autoCompact?.tokensLeft ?? null;
  const compact = tokensLeft === null ? '' : tokensLeft > 0 ? ` · auto-compact in ${l.compact(tokensLeft)}` : ' · auto-compact due';
  return h(
    'li',
    { class: 'row' },
    h(
      'div',
      { class: 'row-main' },
      title,
      bar(context.percent, contextLevelTone(context.level), `Context of ${name}: ${l.percent(context.percent)}`),
      h('div', { class: 'row-sub' }, `Context ${l.percent(context.percent)}${levelName}${compact} · ${left}`),
    ),
  );
}

export function renderQueue(snapshot: Snapshot, l: Locale): void {
  const { queue } = snapshot;
  // Hidden in the page until the first Snapshot arrives.
  byId('queue-card').hidden = false;
  const { summary } = queue;
  const parts = [`${l.integer(summary.done)}/${l.integer(summary.total)} done`, `${l.integer(summary.ready)} ready`];
  if (summary.blocked > 0) parts.push(`${l.integer(summary.blocked)} waiting`);
  setText(byId('queue-summary'), parts.join(' · '));
  const rows = entriesOf(queue).map((entry) => entryRow(entry, l));
  const empty = summary.total === 0 ? 'No sessions queued. Add some with cco queue add.' : 'Nothing to start now.';
  fillKeepingFocus(byId('queue-list'), rows.length > 0 ? rows : [h('li', { class: 'empty' }, empty)]);
}

/** The chip (or Start button) and the line under the name for each state. */
function entryRow(entry: QueueEntry, l: Locale): HTMLLIElement {
  const facts = [entry.id, formatSpan(entry.estimatedHours * 3_600_000, l), `${l.compact(entry.estimatedTokens)} tokens`];
  let sub = facts.join(' · ');
  let end: HTMLElement;
  switch (entry.state) {
    case 'ready':
    case 'due':
      end = startButton(entry);
      if (entry.state === 'due' && entry.scheduledTime) sub = `${entry.id} · due since ${l.dayTime(entry.scheduledTime)}`;
      break;
    case 'waiting':
      sub = `${entry.id} · waiting on ${entry.waitingOn.map((d) => `${d.id} ${d.name}`).join(', ')}`;
      end = chip('waiting', 'waiting');
      break;
    case 'scheduled': {
      const at = entry.scheduledTime ? l.dayTime(entry.scheduledTime) : '?';
      if (entry.waitingOn.length > 0) sub = `${sub} · after ${entry.waitingOn.map((d) => d.id).join(', ')}`;
      end = h('span', { class: 'status status-scheduled', title: `Scheduled for ${at}` }, at);
      break;
    }
    case 'running':
      end = chip('running', 'running');
      break;
    case 'ended':
      sub = `${entry.id} · quiet since ${entry.lastActivity ? l.time(entry.lastActivity) : '?'}: done? cco queue done ${entry.id}`;
      end = chip('ended', 'ended?');
      break;
    case 'done':
    case 'skipped':
      end = chip(entry.state, entry.state);
      break;
  }
  const settled = entry.state === 'done' || entry.state === 'skipped';
  const main = h('div', { class: 'row-main' }, h('div', { class: 'row-title' }, h('span', { class: 'row-name', title: entry.project }, entry.name)), h('div', { class: 'row-sub', title: sub }, sub));
  return h('li', { class: settled ? 'row settled' : 'row', 'data-state': entry.state }, main, end);
}

function chip(state: string, text: string): HTMLElement {
  return h('span', { class: `status status-${state}` }, text);
}

function startButton(item: QueueItem): HTMLElement {
  return h('button', { type: 'button', class: 'button small', 'data-start': item.id, 'data-key': `start:${item.id}`, 'aria-label': `Start ${item.id}: ${item.name}` }, 'Start');
}

/** Replaces a list's rows and gives focus back to the same control (by data-key) if it had it. */
function fillKeepingFocus(list: HTMLElement, rows: HTMLElement[]): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && list.contains(active) ? active.dataset.key : undefined;
  fill(list, ...rows);
  if (key) list.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus();
}
