import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { renderReport } from '../../../cli/report/render';
import { writeReport } from '../../../cli/report/write';
import { type HeadlessChromium, launchChromium, MISSING_CHROMIUM } from '../../support/chromium';
import { drainReportData } from './drain-fixture';

/**
 * The shift report in a real browser: Debian's Chromium, headless, opens the page from disk and
 * draws it; the test reads the drawn chart back (geometry and screenshot pixels). The screenshots
 * stay in .clustershift/screenshots/ (git-ignored) for people to look at.
 */

jest.setTimeout(30_000);

const T0 = Date.parse('2026-11-23T10:00:00Z');
const SCREENSHOTS = resolve(__dirname, '../../../.clustershift/screenshots');
const VIEWPORT = { width: 1100, height: 1600 };

let browser: HeadlessChromium;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium({ viewport: VIEWPORT });
  dir = await mkdtemp(join(tmpdir(), 'report-screenshot-'));
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Opens the rendered report from a file, recording every console error and uncaught page error. */
const openReport = async (): Promise<{ page: Page; errors: string[] }> => {
  const file = await writeReport(join(dir, 'report.html'), renderReport(drainReportData(T0)));
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors };
};

/** The browser's own image API, used inside page.evaluate (the project compiles without the DOM types). */
declare function createImageBitmap(
  image: Blob,
  options: { colorSpaceConversion: 'none'; premultiplyAlpha: 'none' },
): Promise<{ readonly width: number; readonly height: number }>;
declare class OffscreenCanvas {
  constructor(width: number, height: number);
  getContext(kind: '2d'): {
    drawImage(image: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray };
  } | null;
}

const hex = (colour: string): [number, number, number] => {
  const digits = /^#([0-9a-f]{6})$/i.exec(colour)?.[1];
  if (digits === undefined) throw new Error(`not a #rrggbb colour: ${colour}`);
  return [0, 2, 4].map((i) => Number.parseInt(digits.slice(i, i + 2), 16)) as [number, number, number];
};

/**
 * How many pixels of a PNG are each colour (within `tolerance` per channel). No PNG decoder is
 * installed, and Chromium has one: it decodes the screenshot in a blank page of its own.
 */
const countColours = async (
  png: Buffer,
  colours: readonly string[],
  tolerance = 16,
): Promise<{ width: number; height: number; counts: number[] }> => {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ base64, targets, tolerance }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), {
          colorSpaceConversion: 'none',
          premultiplyAlpha: 'none',
        });
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        if (context === null) throw new Error('no 2d context');
        context.drawImage(bitmap, 0, 0);
        const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
        const counts = targets.map(() => 0);
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
          targets.forEach(([tr, tg, tb], t) => {
            if (
              Math.abs(r - tr) <= tolerance &&
              Math.abs(g - tg) <= tolerance &&
              Math.abs(b - tb) <= tolerance
            )
              counts[t] = (counts[t] ?? 0) + 1;
          });
        }
        return { width: bitmap.width, height: bitmap.height, counts };
      },
      { base64: png.toString('base64'), targets: colours.map(hex), tolerance },
    );
  } finally {
    await page.close();
  }
};

describe('the shift report in headless Chromium', () => {
  it('draws each cluster series as a visible path inside the chart, in the viewport', async () => {
    // Arrange
    const { page } = await openReport();

    // Act
    const chart = page.locator('svg.chart');
    const chartBox = await chart.boundingBox();
    const paths = page.locator('svg.chart path.series');
    const boxes = await Promise.all((await paths.all()).map((path) => path.boundingBox()));

    // Assert
    expect(await paths.evaluateAll((els) => els.map((el) => el.getAttribute('data-cluster')))).toEqual([
      'blue',
      'green',
    ]);
    expect(chartBox).not.toBeNull();
    for (const box of boxes) {
      expect(box).not.toBeNull();
      if (box === null || chartBox === null) continue;
      expect(box.width).toBeGreaterThan(chartBox.width / 2);
      expect(box.height).toBeGreaterThan(10);
      expect(box.x).toBeGreaterThanOrEqual(chartBox.x);
      expect(box.y).toBeGreaterThanOrEqual(chartBox.y);
      expect(box.x + box.width).toBeLessThanOrEqual(chartBox.x + chartBox.width);
      expect(box.y + box.height).toBeLessThanOrEqual(chartBox.y + chartBox.height);
      expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
      expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
    }
    await page.close();
  });

  it("shows each cluster's series colour in the chart's screenshot pixels, with no console error", async () => {
    // Arrange
    const { page, errors } = await openReport();
    const chart = page.locator('svg.chart');
    const strokes = await page
      .locator('svg.chart path.series')
      .evaluateAll((els) => els.map((el) => el.getAttribute('stroke') ?? ''));

    // Act
    const png = await chart.screenshot({ type: 'png' });
    const body = await page.locator('body').boundingBox();
    const bottom = Math.ceil((body?.y ?? 0) + (body?.height ?? VIEWPORT.height)) + 24;
    await page.screenshot({
      path: join(SCREENSHOTS, 'report.png'),
      clip: { x: 0, y: 0, width: VIEWPORT.width, height: Math.min(bottom, VIEWPORT.height) },
    });
    await chart.screenshot({ path: join(SCREENSHOTS, 'report-chart.png') });
    // Magenta is drawn nowhere: a control that the count tells colours apart.
    const pixels = await countColours(png, [...strokes, '#ff00ff']);

    // Assert
    expect(strokes).toHaveLength(2);
    expect(new Set(strokes).size).toBe(2);
    expect(pixels.width).toBeGreaterThan(500);
    const [blue, green, magenta] = pixels.counts;
    expect(blue).toBeGreaterThan(300);
    expect(green).toBeGreaterThan(300);
    expect(magenta).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('launchChromium', () => {
  it('fails, saying how to install it, when there is no Chromium where it looks', async () => {
    const env = { CLUSTERSHIFT_CHROMIUM: join(tmpdir(), 'no-such-dir', 'chromium') };

    await expect(launchChromium({ env })).rejects.toThrow(
      `no Chromium at ${env.CLUSTERSHIFT_CHROMIUM}: ${MISSING_CHROMIUM}`,
    );
  });
});
