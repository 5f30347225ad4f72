// Writes schema/clustershift.schema.json from the zod schema, for editors (YAML language server).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetConfigJsonSchema } from '../core/config-json-schema';

const target = join(__dirname, '..', 'schema', 'clustershift.schema.json');
writeFileSync(target, `${JSON.stringify(fleetConfigJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
