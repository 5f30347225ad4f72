import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseFleetConfig } from '../../core/config-yaml';
import { EXIT, usageError } from '../errors';
import { interruptSignal } from '../interrupt';
import { parseWhole } from '../options';
import type { Runner } from '../runner';

interface LocalOptions {
  readonly port: string;
  readonly host: string;
  readonly timeScale: string;
}

/** The demo fleet's region, for the AWS CLI users among the printed variables. */
const demoRegion = (configFile: string): string | undefined => {
  try {
    return parseFleetConfig(readFileSync(configFile, 'utf8'), configFile).region;
  } catch {
    return undefined;
  }
};

/** What another shell needs to talk to the twin; fake credentials keep the SDK from looking for real ones. */
const twinEnv = (endpoint: string, configFile: string): Record<string, string> => {
  const region = demoRegion(configFile);
  return {
    AWS_ENDPOINT_URL: endpoint,
    ...(region === undefined ? {} : { AWS_REGION: region }),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    CLUSTERSHIFT_CONFIG: configFile,
  };
};

/** Loaded on demand, so every other command stays free of the twin and its dependencies. */
const loadTwin = () => ({
  ...(require('../../local/server') as typeof import('../../local/server')),
  ...(require('../../local/demo') as typeof import('../../local/demo')),
});

/** `clustershift local`: the local twin with the demo fleet, until Ctrl-C. */
export const register = (program: Command, runner: Runner): void => {
  program
    .command('local')
    .description('run the local twin (AWS emulator) seeded with the demo fleet, until Ctrl-C')
    .option('--port <port>', 'port to listen on (0: any free port)', '4566')
    .option('--host <host>', 'address to listen on (the twin has no authentication)', '127.0.0.1')
    .option('--time-scale <n>', 'twin seconds per real second (bakes and metric minutes pass faster)', '1')
    .action(
      runner.action<LocalOptions>(async (ctx, _args, options) => {
        const port = parseWhole('--port')(options.port);
        if (port > 65_535) throw usageError(`--port: expected 0-65535, got ${port}`);
        const timeScale = Number(options.timeScale);
        if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
          throw usageError(`--time-scale: expected a number > 0, got "${options.timeScale}"`);
        }
        const { signal, dispose } = interruptSignal(ctx.io);
        try {
          const { startTwin, synthesizeDemo, setUpDemo, DEMO_CONFIG_FILE } = loadTwin();
          // What runs on the twin is the synthesized stack, as it would be deployed (cached when unchanged).
          ctx.out.note('synthesizing the demo stack …');
          const { templateFile } = await synthesizeDemo();
          const twin = await startTwin({ port, host: options.host, timeScale });
          try {
            await setUpDemo(twin, templateFile);
          } catch (error) {
            await twin.close();
            throw error;
          }
          const env = twinEnv(twin.endpoint, DEMO_CONFIG_FILE);
          ctx.out.lines([
            `local twin on ${twin.endpoint} (time x${timeScale}), demo fleet deployed`,
            'in another shell:',
            ...Object.entries(env).map(([name, value]) => `  export ${name}=${value}`),
            '  clustershift status',
            'Ctrl-C stops the twin.',
          ]);
          ctx.out.data({ endpoint: twin.endpoint, timeScale, env });
          if (!signal.aborted)
            await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          await twin.close();
          ctx.out.note('local twin stopped');
          // Ctrl-C is how the twin is meant to stop: not a failure.
          return EXIT.ok;
        } finally {
          dispose();
        }
      }),
    );
};
