#!/usr/bin/env node
// The `clustershift` command: runs cli/main.ts through tsx (no build step), from any directory.
const { register: registerLoader } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { MessageChannel } = require('node:worker_threads');

// The SDK warns on every run that it will need Node 22 from 2027 (see README); an operator running
// a drain at 3 a.m. needs no reminder of that in the middle of the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// TypeScript for require() and for import() alike, as `node --import tsx` would set up: the twin
// (`clustershift local`) loads parts of the project with import().
// (tsx/esm/api would do this, but its CommonJS build resolves its hooks module to a wrong path.)
const { port1, port2 } = new MessageChannel();
port1.unref();
registerLoader('tsx/esm', {
  parentURL: pathToFileURL(__filename),
  data: { port: port2 },
  transferList: [port2],
});
require('tsx/cjs/api').register();
const { run } = require(join(__dirname, '..', 'cli', 'main.ts'));

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`clustershift: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
