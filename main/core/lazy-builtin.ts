/**
 * Node built-ins loaded on first use. Loading node:crypto or node:child_process pulls in Node's
 * streams and costs 2-7 ms, which every `cco` process, hook and status line would otherwise pay at
 * start-up for a hash, a uuid or a child process that most runs never make. The bundles are
 * CommonJS built from ES modules, so a plain `require` is not in scope: createRequire gives one.
 */
import { createRequire } from 'node:module';

/** A getter that loads the built-in `id` the first time it is called. */
export function lazyBuiltin<T>(id: string): () => T {
  let loaded: T | null = null;
  return () => (loaded ??= createRequire(import.meta.url)(id) as T);
}

export const childProcess = lazyBuiltin<typeof import('node:child_process')>('node:child_process');
