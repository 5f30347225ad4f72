/**
 * Renders a Slack Block Kit message to a PNG, roughly as Slack shows it, for reviewing message
 * layouts and for issue notes. Reads a JSON file (a message payload or an array of blocks), or stdin.
 *
 *   npx tsx scripts/render-slack-blocks.ts message.json [--out shot.png] [--html page.html]
 *   node bin/clustershift.cjs … --json | npx tsx scripts/render-slack-blocks.ts - --out shot.png
 *
 * Needs Debian's chromium (or CLUSTERSHIFT_CHROMIUM), like the report screenshot test.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSlackMessage, renderSlackPreview } from '../cli/report/slack-preview';
import { launchChromium } from '../test/support/chromium';

const USAGE = 'usage: tsx scripts/render-slack-blocks.ts [file.json | -] [--out file.png] [--html file.html]';
const SCREENSHOTS = resolve(__dirname, '../.clustershift/screenshots');

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
};

const main = async (): Promise<number> => {
  const { values, positionals } = parseArgs({
    options: { out: { type: 'string' }, html: { type: 'string' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.help === true || positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return values.help === true ? 0 : 2;
  }
  const [source = '-'] = positionals;
  const text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source === '-' ? 'stdin' : source} is not JSON: ${(error as Error).message}`);
  }
  const html = renderSlackPreview(parseSlackMessage(json));
  if (values.html !== undefined) await writeFile(values.html, html, 'utf8');

  const name = source === '-' ? 'message' : basename(source, extname(source));
  const out = resolve(values.out ?? join(SCREENSHOTS, `slack-${name}.png`));
  await mkdir(dirname(out), { recursive: true });
  const browser = await launchChromium({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 2 });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.locator('.message').screenshot({ path: out });
  } finally {
    await browser.close();
  }
  process.stdout.write(`${out}\n`);
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`render-slack-blocks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
