import * as z from 'zod/mini';
import { fleetConfigSchema } from './config';

/** The JSON Schema of the fleet config file (as written, defaults optional), for editors. */
export const fleetConfigJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(fleetConfigSchema, { io: 'input' }),
  title: 'clustershift fleet config',
});
