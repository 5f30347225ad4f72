import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFleetConfig } from '../../core/config';
import { validateShiftRequest } from '../../core/request';

const eventsDir = join(__dirname, '../../events');
const config = validateFleetConfig({
  fleet: 'prod-eu',
  region: 'eu-west-1',
  loadBalancers: [
    { arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/main/0123456789abcdef' },
  ],
  clusters: [{ name: 'blue' }, { name: 'green' }],
});
/**
 * Not execution inputs: `alarm-*` and `execution-*` are EventBridge events (fed to the rules in
 * test/infra), `chatops-*` API Gateway events (fed to the chat handler in test/functions).
 */
const isOtherEvent = (file: string) => /^(alarm|execution|chatops)-/.test(file);
const files = readdirSync(eventsDir).filter((f) => f.endsWith('.json') && !isOtherEvent(f));
const load = (file: string): unknown => JSON.parse(readFileSync(join(eventsDir, file), 'utf8'));

describe('sample execution inputs in events/', () => {
  it.each(files.filter((f) => !f.startsWith('invalid-')))('%s is a valid execution input', (file) => {
    expect(() => validateShiftRequest(load(file), config)).not.toThrow();
  });

  it.each(files.filter((f) => f.startsWith('invalid-')))('%s is refused naming the field', (file) => {
    expect(() => validateShiftRequest(load(file), config)).toThrow(/InvalidRequest|invalid request: \w+/);
  });
});
