/**
 * The error a bundle stub throws when code it replaced is reached after all: names the module and
 * points at BUNDLE_ALIASES, so the fix (drop the alias) is one line away.
 */
export class NotBundledError extends Error {
  override readonly name = 'NotBundledError';

  constructor(module: string, feature: string) {
    super(
      `${feature} is not bundled in this function: ${module} is replaced by a stub ` +
        '(BUNDLE_ALIASES in infra/bundling/settings.ts); remove that alias if the function needs it',
    );
  }
}
