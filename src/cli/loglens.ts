#!/usr/bin/env node
/**
 * The `loglens` command (package.json "bin", compiled to dist-cli/loglens.js by `npm run build:cli`, which
 * `npm ci` runs through `prepare`): `loglens analyze|gen|bench|serve …`; a first word that is none of them is a
 * file, so `loglens app.log` analyzes it. Each subcommand is its own module, which runs when imported and reads
 * its arguments from process.argv: the subcommand's word is taken out first.
 */
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
else await import('../../scripts/bench.ts');
