#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (no build step), with Node's flags for the command (node-flags.mjs).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeFlags } from './node-flags.mjs';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const args = process.argv.slice(2);
const child = spawn(process.execPath, [...nodeFlags(args), '--import', 'tsx', main, ...args], { stdio: 'inherit' });
// A signal sent to this wrapper alone (a service manager's SIGTERM) reaches the command too: a
// `serve` must not outlive it holding its port. Ctrl-C signals both already; the child handles it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal] ?? 1) : 1));
});
