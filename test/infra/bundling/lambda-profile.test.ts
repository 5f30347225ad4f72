import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { build } from 'esbuild';
import { LAMBDA_PROFILE_STUBS, lambdaProfile } from '../../../infra/bundling/lambda-profile';

const ROOT = join(__dirname, '..', '..', '..');
const NODE_MODULES = join(ROOT, 'node_modules');

describe('the Lambda profile', () => {
  it.each(Object.keys(LAMBDA_PROFILE_STUBS))('replaces %s, a file the installed package has', (file) => {
    // Act / Assert: a file the SDK moved would silently stay in the bundles
    expect(existsSync(join(NODE_MODULES, file))).toBe(true);
  });

  it('finds no shared config file, and throws NotBundledError naming what was reached otherwise', async () => {
    // Prepare: an entry importing the stubbed modules as the SDK and Powertools do
    mkdirSync(join(ROOT, '.clustershift'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.clustershift', 'lambda-profile-'));
    const entry = join(dir, 'entry.mjs');
    writeFileSync(
      entry,
      `import { loadSharedConfigFiles } from '@smithy/core/config';
import { Sha256Js } from '@smithy/core/checksum';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { resolveParams } from '@smithy/core/endpoints';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@smithy/core/checksum';
import { Logger } from '@aws-lambda-powertools/logger';
export const files = () => loadSharedConfigFiles();
export const sha = () => new Sha256Js();
export const adaptive = () => new AdaptiveRetryStrategy(async () => 3);
const instructions = { getEndpointParameterInstructions: () => ({ Bucket: { type: 'contextParams', name: 'Bucket' } }) };
export const s3Params = () => resolveParams({ Bucket: 'b' }, instructions, { serviceId: 'S3' });
export const dynamoParams = () => resolveParams({ Bucket: 'b' }, instructions, { serviceId: 'DynamoDB' });
const signer = () => new SignatureV4({
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, region: 'eu-west-1', service: 'dynamodb', sha256: Sha256,
});
export const signRequest = () => signer().sign({
  method: 'POST', protocol: 'https:', hostname: 'dynamodb.eu-west-1.amazonaws.com', path: '/', headers: { host: 'dynamodb.eu-west-1.amazonaws.com' }, body: '{}',
}, { signingDate: new Date('2026-12-03T00:00:00Z') });
export const signMessage = () => signer().signMessage(
  { message: { headers: {}, body: new Uint8Array() }, priorSignature: '' }, { signingDate: new Date() },
);
export const logger = () => new Logger({ serviceName: 'profile' });
export const bufferingLogger = () => new Logger({ serviceName: 'profile', logBufferOptions: { enabled: true } });
`,
    );
    const out = join(dir, 'out.cjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      mainFields: ['module', 'main'],
      outfile: out,
      plugins: [lambdaProfile()],
      logLevel: 'silent',
    });

    // Act
    const bundle = require(out);

    // Assert
    await expect(bundle.files()).resolves.toEqual({ configFile: {}, credentialsFile: {} });
    expect(() => bundle.sha()).toThrow(expect.objectContaining({ name: 'NotBundledError' }));
    expect(() => bundle.adaptive()).toThrow(/adaptive retry mode \(AWS_RETRY_MODE=adaptive\)/);
    // S3's endpoint customizations: reached for an S3 client only
    await expect(bundle.dynamoParams()).resolves.toEqual({ Bucket: 'b' });
    await expect(bundle.s3Params()).rejects.toThrow(
      /S3 endpoint customizations \(an S3 client\) is not bundled/,
    );
    // SigV4: requests are signed as before; an event stream message throws
    const signed = await bundle.signRequest();
    const unstubbed = await new SignatureV4({
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      region: 'eu-west-1',
      service: 'dynamodb',
      sha256: Sha256,
    }).sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'dynamodb.eu-west-1.amazonaws.com',
        path: '/',
        headers: { host: 'dynamodb.eu-west-1.amazonaws.com' },
        body: '{}',
      },
      { signingDate: new Date('2026-12-03T00:00:00Z') },
    );
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=a\/20261203\/eu-west-1\/dynamodb\//,
    );
    expect(signed.headers.authorization).toBe(unstubbed.headers.authorization);
    await expect(bundle.signMessage()).rejects.toThrow(
      /signing an event stream message .* is not bundled.*@smithy\/signature-v4 HeaderFormatter/,
    );
    // Powertools Logger: built without log buffering as ours is; with it, it throws
    expect(bundle.logger().getLevelName()).toEqual(expect.any(String));
    expect(() => bundle.bufferingLogger()).toThrow(
      /log buffering \(Logger logBufferOptions\) is not bundled/,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
