/** ELBv2 adapter: one import for discovery, weight reads and writes, and target health. */
export { actionListWeights, actionsWithWeights, forwardWeights } from './elbv2-actions';
export { defaultElbv2Client, type Elbv2Options } from './elbv2-client';
export { type Discovery, discoverRoutes, discoverRoutesWith, type KnownTags } from './elbv2-discover';
export { describeTargetHealth, type HealthOptions } from './elbv2-health';
export { type LiveRoute, type ReadOptions, readLiveRoutes, readWeights } from './elbv2-read';
export { validateDesiredWeights } from './elbv2-validate';
export { type ApplyOptions, type ApplyResult, applyWeights, type WeightChange } from './elbv2-weights';
