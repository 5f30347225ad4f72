import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, driven by playwright-core (which downloads no browser of its own).
 * Used by the report screenshot test and scripts/render-slack-blocks.ts. A missing browser is an
 * error that says how to install it, never a skipped test.
 */

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const MISSING_CHROMIUM =
  'install Debian chromium: apt-get install -y chromium, or set CLUSTERSHIFT_CHROMIUM';

/**
 * As root on a machine with a closed network: no sandbox (it needs user namespaces as root), and
 * no background connections (refused here, many at a time, slowing every start).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Screenshots in plain sRGB, so a pixel of a CSS colour reads back as that colour.
  '--force-color-profile=srgb',
] as const;

export const chromiumPath = (env: Readonly<Record<string, string | undefined>> = process.env): string => {
  const configured = env.CLUSTERSHIFT_CHROMIUM;
  return configured === undefined || configured === '' ? DEFAULT_CHROMIUM : configured;
};

export interface HeadlessChromium {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  /** Closes the browser and deletes its user-data dir. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly viewport?: { width: number; height: number };
  readonly deviceScaleFactor?: number;
}

/** Starts Chromium with a fresh, empty user-data dir of its own. */
export const launchChromium = async (options: LaunchOptions = {}): Promise<HeadlessChromium> => {
  const executablePath = chromiumPath(options.env);
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: ${MISSING_CHROMIUM}`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'clustershift-chromium-'));
  let context: BrowserContext;
  try {
    // A persistent context is how Playwright takes a user-data dir of ours (launch() refuses the flag).
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 1100, height: 900 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      timeout: 20_000,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new Error(`Chromium at ${executablePath} did not start (${first}); ${MISSING_CHROMIUM}`);
  }
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
};
