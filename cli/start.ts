// `npm start`: the demo on the local twin. The twin is the next piece of work (issue 3); until it
// exists this says so plainly instead of pretending.
console.error(
  [
    'clustershift: the local twin (the AWS emulator `npm start` runs the demo on) is not built yet.',
    'What works today:',
    '  npm test        all tests (planner, guardrails, adapters, the workflow run in-process, the CDK stack)',
    '  npm run synth   synthesize the CloudFormation template from clustershift.example.yaml',
    'See README.md.',
  ].join('\n'),
);
process.exit(1);
