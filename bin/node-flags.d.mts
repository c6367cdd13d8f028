/** Node's flags for a `cobranza` command line (the arguments after the script); see node-flags.mjs. */
export function nodeFlags(args: readonly string[]): string[];
