import { existsSync } from 'node:fs';
import { defaultProvider } from '../../functions/shared/env-credentials';
import { BUNDLE_ALIASES } from '../../infra/bundling/settings';

describe('the credential provider the bundles use', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is what the bundles alias the SDK default chain to', () => {
    const replacement = BUNDLE_ALIASES['@aws-sdk/credential-provider-node'];
    expect(replacement).toMatch(/functions\/shared\/env-credentials\.ts$/);
    expect(existsSync(String(replacement))).toBe(true);
  });

  it('reads the role credentials Lambda puts in the environment', async () => {
    // Prepare
    process.env.AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'token';

    // Act
    const credentials = await defaultProvider()();

    // Assert
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('fails clearly, without falling back to another source, when the environment has none', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;

    await expect(defaultProvider()()).rejects.toThrow(/credentials/i);
  });
});
