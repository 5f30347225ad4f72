import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Writes the report and returns its absolute path. Through a temporary file and a rename, so a
 * reader (or a browser reloading it) never sees half a page.
 */
export const writeReport = async (path: string, html: string): Promise<string> => {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, html, 'utf8');
  await rename(temporary, target);
  return target;
};
