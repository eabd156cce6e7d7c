/**
 * Dependencies between queued sessions: naming a session on the command line, and refusing
 * unknown ids, self-dependencies and cycles (naming the cycle).
 */
import type { QueuedSession, SessionQueue } from '../../../shared/queue-snapshot.js';
import { QueueError } from './fields.js';

/**
 * A session named on the command line: its id (`s3`, `S3`, `3`, `#3`) or, when unique, its name
 * (case-insensitive).
 */
export function resolveSessionId(queue: SessionQueue, text: string): string {
  const trimmed = text.trim();
  const numeric = /^(?:#|s)?(\d+)$/i.exec(trimmed);
  if (numeric) {
    const found = queue.sessions.find((session) => session.number === Number(numeric[1]));
    if (found) return found.id;
  }
  const exact = queue.sessions.find((session) => session.id === trimmed);
  if (exact) return exact.id;
  const byName = queue.sessions.filter((session) => session.name.toLowerCase() === trimmed.toLowerCase());
  if (byName.length === 1 && byName[0]) return byName[0].id;
  if (byName.length > 1) throw new QueueError(`"${trimmed}" names ${byName.length} sessions (${byName.map((s) => s.id).join(', ')}); use the id`);
  throw new QueueError(`no session "${trimmed}" in the queue (see cco queue list)`);
}

export function findSession(queue: SessionQueue, text: string): QueuedSession {
  const id = resolveSessionId(queue, text);
  return queue.sessions.find((session) => session.id === id) as QueuedSession;
}

/**
 * A dependency cycle among `sessions` as the ids around it (first id repeated at the end), or
 * null. Iterative, so a long hand-made chain cannot overflow the stack.
 */
export function findCycle(sessions: readonly Pick<QueuedSession, 'id' | 'dependencies'>[]): string[] | null {
  const deps = new Map(sessions.map((session) => [session.id, session.dependencies]));
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = finished
  for (const start of deps.keys()) {
    if (state.has(start)) continue;
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: number };
      const children = deps.get(top.id) ?? [];
      if (top.next >= children.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const child = children[top.next++] as string;
      if (!deps.has(child)) continue;
      const seen = state.get(child);
      if (seen === 1) {
        const from = stack.findIndex((frame) => frame.id === child);
        return [...stack.slice(from).map((frame) => frame.id), child];
      }
      if (seen === undefined) {
        state.set(child, 1);
        stack.push({ id: child, next: 0 });
      }
    }
  }
  return null;
}

/** `s2 → s5 → s2 ("Implementation" → "Testing" → "Implementation")`. */
export function describeCycle(cycle: readonly string[], sessions: readonly Pick<QueuedSession, 'id' | 'name'>[]): string {
  const names = new Map(sessions.map((session) => [session.id, session.name]));
  return `${cycle.join(' → ')} (${cycle.map((id) => `"${names.get(id) ?? id}"`).join(' → ')})`;
}

/** Unknown dependency ids, self-dependencies and cycles, as a QueueError naming them. */
export function checkDependencies(sessions: readonly QueuedSession[]): void {
  const ids = new Set(sessions.map((session) => session.id));
  for (const session of sessions) {
    for (const dependency of session.dependencies) {
      if (dependency === session.id) throw new QueueError(`${session.id} ("${session.name}") cannot depend on itself`);
      if (!ids.has(dependency)) throw new QueueError(`${session.id} ("${session.name}") depends on unknown session "${dependency}"`);
    }
  }
  const cycle = findCycle(sessions);
  if (cycle) throw new QueueError(`dependency cycle: ${describeCycle(cycle, sessions)}`);
}

