/** `cco`: the engine in a terminal. Subcommands are dispatched from here. */
export async function main(argv: string[]): Promise<number> {
  process.stderr.write(`cco: unknown command "${argv.join(' ')}"\n`);
  return 2;
}
