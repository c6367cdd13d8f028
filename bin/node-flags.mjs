/**
 * Node's flags for a `cobranza` command line (the arguments after the script), one rule for
 * bin/cobranza.mjs, `npm run cobranza` and the benchmarks.
 *
 * A larger young generation (`--max-semi-space-size=64`, up to 3 × 64 MB) only for the commands
 * that bulk-load: they allocate millions of short-lived strings, and with the default semi-space
 * most of them are promoted and collected again. Measured with and without it (PostgreSQL, this
 * 2-core machine): `demo --csv` of 1,000,000 credits 26 s → 15 s, `import credits` of that file
 * 35–38 s → 30–32 s, `demo` of 100,000 credits 23–26 s → 20–22 s; `serve` loads the demo on an
 * empty database. Every other command keeps Node's default: `assign` of 1,000,000 credits
 * (set-based SQL) took 3.9–4.8 s either way, and `report agency` of 100,000 credits peaked
 * 80–110 MB higher with it, in the same time.
 */
const BULK_LOADING_COMMANDS = new Set(['import', 'demo', 'serve']);

/** `--date` is the only option before the command that takes a value (src/cli/main.ts). */
const OPTIONS_WITH_VALUE = new Set(['--date']);

/** @param {readonly string[]} args @returns {string[]} */
export function nodeFlags(args) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) return BULK_LOADING_COMMANDS.has(arg) ? ['--max-semi-space-size=64'] : [];
  }
  return [];
}
