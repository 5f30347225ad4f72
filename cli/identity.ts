import { userInfo } from 'node:os';

/** The slice of @aws-sdk/client-sts the CLI uses. */
interface StsModule {
  STSClient: new (config: object) => { send(command: unknown): Promise<{ Arn?: string }>; destroy(): void };
  GetCallerIdentityCommand: new (input: object) => unknown;
}

/**
 * @aws-sdk/client-sts is not a dependency of the project (yet); when it is installed the caller's
 * ARN names who asked, otherwise the OS user does. Loaded by name so its absence is not an error.
 */
const loadSts = (): StsModule | undefined => {
  try {
    return require('@aws-sdk/client-sts') as StsModule;
  } catch {
    return undefined;
  }
};

const osUser = (env: Readonly<Record<string, string | undefined>>): string => {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the shell's idea of the user.
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
};

/**
 * `requestedBy` for what this CLI starts or sets: `cli:<caller ARN>` from STS GetCallerIdentity,
 * else `cli:<os user>` (no STS client, no permission, or an endpoint that does not serve STS).
 */
export const resolveRequester = async (
  stsConfig: object,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> => {
  const sts = loadSts();
  if (sts !== undefined) {
    const client = new sts.STSClient({ ...stsConfig, maxAttempts: 1 });
    try {
      const identity = await client.send(new sts.GetCallerIdentityCommand({}));
      if (identity.Arn) return `cli:${identity.Arn}`;
    } catch {
      // Who asked is worth a name, not a failed command.
    } finally {
      client.destroy();
    }
  }
  return `cli:${osUser(env)}`;
};
