#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (no build step).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
// A larger young generation: bulk imports allocate millions of short-lived strings, and with the
// default semi-space most of them are promoted and collected again (half the import's time).
const result = spawnSync(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
