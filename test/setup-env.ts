// Powertools Logger writes straight to stdout; keep test output readable.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
// The SDK warns once per process that Node 20 support ends in 2027; Lambda runs Node 22 (README).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// EMF metrics print to stdout on every flush; test/functions/metrics.test.ts turns them back on for itself.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
