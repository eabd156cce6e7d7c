/**
 * node:crypto, loaded on first use. Loading it pulls in Node's streams and costs about 2 ms, which
 * every `cco` process, hook and status line would otherwise pay at start-up for a hash or a uuid
 * that most runs never make. (Temporary names need no crypto: store.ts's uniqueSuffix.)
 */
import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');

let loaded: NodeCrypto | null = null;

function nodeCrypto(): NodeCrypto {
  loaded ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto;
  return loaded;
}

export function sha256Hex(text: string): string {
  return nodeCrypto().createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The SHA-1 of the parts one after the other, base64: a content key (identical tool results). */
export function sha1Base64(parts: readonly string[]): string {
  const hash = nodeCrypto().createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest('base64');
}

export function randomUuid(): string {
  return nodeCrypto().randomUUID();
}
