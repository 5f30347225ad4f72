import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * clustershift uses zod's tree-shakable "mini" build (`import * as z from 'zod/mini'` in each
 * module): the classic build brings every locale into each Lambda bundle (~420 KB of ~850 KB).
 * Mini has no messages until a locale is set; this sets English once, for every schema.
 * Re-exporting `z` from one module would defeat the tree-shaking, so modules import it themselves.
 */
config(en());
