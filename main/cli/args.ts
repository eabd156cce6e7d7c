/**
 * node:util's parseArgs, with one difference: a string option's value may start with "-". Node
 * refuses `--limit -5` as "argument is ambiguous", so a person who typed a negative number never
 * learns what the option accepts; joined as `--limit=-5`, the value reaches the option's own check
 * and its one-line message with the accepted range.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--name -5` → `--name=-5` for the string options of `options`; everything after `--` is left alone. */
export function joinDashValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : null;
    if (name !== null && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  return parseArgs({ ...config, args: joinDashValues(config.args ?? [], config.options ?? {}) } as T);
}
