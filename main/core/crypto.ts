/**
 * Hashes and uuids over node:crypto, loaded on first use (lazy-builtin.ts says why). Temporary
 * names need no crypto: store.ts's uniqueSuffix.
 */
import { lazyBuiltin } from './lazy-builtin.js';

const nodeCrypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto');

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
