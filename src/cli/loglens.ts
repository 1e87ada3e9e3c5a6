#!/usr/bin/env node
/**
 * The `loglens` command (package.json "bin", compiled to dist-cli/loglens.js by `npm run build:cli`, which
 * `npm ci` runs through `prepare`): `loglens analyze|gen|bench|serve …`; a first word that is none of them is a
 * file, so `loglens app.log` analyzes it. Each subcommand is its own module, which runs when imported and reads
 * its arguments from process.argv: the subcommand's word is taken out first.
 */
import { existsSync } from 'node:fs';

export const COMMANDS = ['analyze', 'gen', 'bench', 'serve'] as const;
type Command = (typeof COMMANDS)[number];

const word = process.argv[2];
const command: Command = COMMANDS.includes(word as Command) ? (word as Command) : 'analyze';
if (command === word) process.argv.splice(2, 1);

if (word === '--help' || word === '-h' || word === undefined) {
  process.stdout.write(
    'usage: loglens [analyze] <file...|-> [options]   analyze logs (loglens analyze --help)\n' +
      '       loglens serve [file|-] [--port N] [--open]   the page on 127.0.0.1, fed the file or standard input live\n' +
      '       loglens gen --size 200MB --out sample.log     write the sample log\n' +
      "       loglens bench [options]                       the engine's throughput (in a checkout)\n",
  );
  if (word === undefined) process.exitCode = 2;
} else if (command === 'analyze') await import('./main.ts');
else if (command === 'serve') await import('./serve.ts');
else if (command === 'gen') await import('../../scripts/gen.ts');
else if (!inCheckout()) {
  // the benchmarks generate their logs with the checkout's scripts and time its command line through tsx
  process.stderr.write(
    'loglens bench: the benchmarks run in a Loglens checkout, from its folder, after npm ci (they generate a\n' +
      "1 GB log under tmp/ with scripts/gen.ts and start tsx for the command line's row); this folder is not one.\n" +
      '  git clone … && cd loglens && npm ci && npx loglens bench   (or npm run bench)\n',
  );
  process.exitCode = 2;
} else await import('../../scripts/bench.ts');

/** The working folder is a Loglens checkout with its dev dependencies: what `loglens bench` needs. */
function inCheckout(): boolean {
  return ['scripts/gen.ts', 'src/cli/main.ts', 'node_modules/tsx/package.json'].every((p) => existsSync(p));
}
