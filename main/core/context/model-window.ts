/**
 * The context window a model has when no status line has said (claude-code-facts.md §3): only the
 * status line's `context_window.context_window_size` is sure, and `claude -p` runs never have one.
 * The client's default model `claude-opus-5-5` (2.1.332) reports 1,000,000, as does any model
 * chosen with the `[1m]` suffix; the others keep 200,000. Users override it per model pattern with
 * the `contextWindowByModel` setting (main/core/settings-schema.ts).
 */

/** A model-id pattern: `*` stands for any characters; matched case-insensitively against the whole id. */
export type ModelPattern = string;

/** Model patterns → window size, first match wins. */
export const MODEL_CONTEXT_WINDOWS: readonly (readonly [ModelPattern, number])[] = [
  ['*[1m]', 1_000_000],
  ['claude-opus-5-5*', 1_000_000],
];

/** The window of a model the table does not name. */
export const FALLBACK_MODEL_WINDOW = 200_000;

export interface AssumedWindow {
  size: number;
  /** `setting`: the user's contextWindowByModel; `model-default`: the table; `default`: the model is not known yet. */
  source: 'setting' | 'model-default' | 'default';
}

/** Compiled patterns: the context scan asks once per response, and the patterns are a handful. */
const compiled = new Map<ModelPattern, RegExp>();
const MAX_COMPILED = 256;

function patternRegExp(pattern: ModelPattern): RegExp {
  let regExp = compiled.get(pattern);
  if (regExp === undefined) {
    const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    regExp = new RegExp(`^${escaped.join('.*')}$`, 'i');
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(pattern, regExp);
  }
  return regExp;
}

export function modelMatches(pattern: ModelPattern, model: string): boolean {
  return patternRegExp(pattern.trim()).test(model.trim());
}

/** The window to assume for `model`: the user's patterns first, then the table, then 200k. */
export function assumedWindowForModel(model: string | null, byModel: Readonly<Record<ModelPattern, number>> = {}): AssumedWindow {
  if (!model) return { size: FALLBACK_MODEL_WINDOW, source: 'default' };
  for (const [pattern, size] of Object.entries(byModel)) if (modelMatches(pattern, model)) return { size, source: 'setting' };
  for (const [pattern, size] of MODEL_CONTEXT_WINDOWS) if (modelMatches(pattern, model)) return { size, source: 'model-default' };
  return { size: FALLBACK_MODEL_WINDOW, source: 'model-default' };
}
