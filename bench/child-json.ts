import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs `node --import tsx bench/<script> <args>` and returns the value under `key` of the one stdout
 * line that starts with {"<key>": …}. Everything else the child prints is noise unless it fails: then
 * its stderr's tail goes into the error.
 */
export const runJsonChild = <T>(
  root: string,
  script: string,
  args: readonly string[],
  key: string,
): Promise<T> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', script), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(`{"${key}"`));
      if (code !== 0 || line === undefined) {
        reject(new Error(`bench/${script} ${args.join(' ')} failed (exit ${code}):\n${err.slice(-2000)}`));
        return;
      }
      resolve((JSON.parse(line) as Record<string, T>)[key] as T);
    });
  });

/** The child side: runs `main`, exits 0, or prints the stack on stderr and exits 1. */
export const runAsChild = (main: () => Promise<void>): void => {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
};
