// @middy/* publishes an "import" export condition only. Code run by tsx in CommonJS mode (bench,
// local tools) require()s it, which Node resolves with the "require" condition and refuses. This
// maps the bare names to their entry files (Node >= 20.19 can require() ES modules), the same
// mapping jest.config.js makes with moduleNameMapper. Lambda bundles are built by esbuild and do
// not need it.
const Module = require('node:module');
const path = require('node:path');

const original = Module._resolveFilename;
Module._resolveFilename = function resolveMiddy(request, ...rest) {
  const match = /^@middy\/(core|util)$/.exec(request);
  if (match) return path.join(__dirname, '..', 'node_modules', '@middy', match[1], 'index.js');
  return original.call(this, request, ...rest);
};
