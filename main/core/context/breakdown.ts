/**
 * The spec's CONTEXT BREAKDOWN, pure. Parts are estimated from the content since the last
 * compaction (characters / 4, images at a fixed estimate, see text.ts) and then scaled so they add
 * up exactly to the measured context: the estimate gives the proportions, the API's usage figure
 * the total. Integer rounding leaves a remainder, which goes to the largest part.
 */
import type { ContextBreakdown } from '../../../shared/context-snapshot.js';
import type { PartChars, Segment } from './scan.js';
import { CHARS_PER_TOKEN } from './text.js';

/**
 * System prompt, tool definitions and memory files when no response tells (no response yet): a
 * typical Claude Code figure (its tool schemas alone are ~10k tokens).
 */
export const DEFAULT_SYSTEM_PROMPT_TOKENS = 15_000;

export const PART_KEYS = ['systemPrompt', 'fileReads', 'toolResults', 'conversation', 'codeGenerated'] as const;
export type PartKey = (typeof PART_KEYS)[number];
export type PartTokens = Record<PartKey, number>;

export function charsToTokens(chars: number): number {
  return Math.round(chars / CHARS_PER_TOKEN);
}

/** The raw estimate of each part, in tokens. */
export function estimateParts(chars: PartChars, systemPrompt: number): PartTokens {
  return {
    systemPrompt: Math.max(0, Math.round(systemPrompt)),
    fileReads: charsToTokens(chars.fileReads),
    toolResults: charsToTokens(chars.toolResults),
    conversation: charsToTokens(chars.conversation),
    codeGenerated: charsToTokens(chars.codeGenerated),
  };
}

function sum(parts: PartTokens): number {
  return PART_KEYS.reduce((total, key) => total + parts[key], 0);
}

/**
 * Parts scaled to `total` exactly: each floor(part × total / estimate), the remainder on the
 * largest part. With nothing estimated, everything is system prompt (the context before any content).
 */
export function scaleParts(raw: PartTokens, total: number): PartTokens {
  const target = Math.max(0, Math.round(total));
  const estimate = sum(raw);
  if (estimate === 0) return { systemPrompt: target, fileReads: 0, toolResults: 0, conversation: 0, codeGenerated: 0 };
  const scaled = {} as PartTokens;
  for (const key of PART_KEYS) scaled[key] = Math.floor((raw[key] * target) / estimate);
  let largest: PartKey = 'systemPrompt';
  for (const key of PART_KEYS) if (raw[key] > raw[largest]) largest = key;
  scaled[largest] += target - sum(scaled);
  return scaled;
}

/** The factor estimates are multiplied by to match the measured total (1 when unknown). */
export function scaleFactor(raw: PartTokens, total: number | null): number {
  const estimate = sum(raw);
  return total === null || estimate === 0 ? 1 : total / estimate;
}

export function systemPromptEstimate(segment: Segment, fallback: number | null): number {
  return segment.systemEstimate ?? fallback ?? DEFAULT_SYSTEM_PROMPT_TOKENS;
}

export function computeBreakdown(segment: Segment, systemPrompt: number, total: number | null): ContextBreakdown {
  const raw = estimateParts(segment.chars, systemPrompt);
  const parts = total === null ? raw : scaleParts(raw, total);
  const grand = sum(parts);
  const percent = (n: number): number => (grand > 0 ? Math.round((n / grand) * 100) : 0);
  const part = (key: PartKey) => ({ tokens: parts[key], percent: percent(parts[key]) });
  return {
    total: grand,
    scaled: total !== null,
    systemPrompt: part('systemPrompt'),
    fileReads: { ...part('fileReads'), files: segment.readFiles.size, reads: segment.reads },
    toolResults: { ...part('toolResults'), results: segment.results },
    conversation: { ...part('conversation'), exchanges: segment.prompts },
    codeGenerated: { ...part('codeGenerated'), responses: segment.codeResponses.size },
    images: segment.images,
  };
}
