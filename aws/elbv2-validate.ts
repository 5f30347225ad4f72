import { type FieldIssue, InvalidRequestError } from '../core/errors';
import { MAX_TARGET_GROUPS_PER_FORWARD, MAX_WEIGHT, type Route, type Weights } from '../core/routes';

/**
 * Checks requested weights against ALB's limits before any call, so a bad plan fails with a message
 * naming the route instead of half-way through a write pass.
 */
export const validateDesiredWeights = (changes: readonly { route: Route; desired: Weights }[]): void => {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  changes.forEach(({ route, desired }, index) => {
    const path = `changes.${index}`;
    if (seen.has(route.id))
      issues.push({ path: `${path}.route`, message: `route ${route.name} is changed twice` });
    seen.add(route.id);
    if (route.targets.every((target) => target.cluster === null)) {
      // Discovery never returns such a route; refusing here too means no caller can write one.
      issues.push({ path: `${path}.route`, message: `${route.name} forwards to no configured cluster` });
    }
    const arns = Object.keys(desired);
    if (arns.length > MAX_TARGET_GROUPS_PER_FORWARD) {
      issues.push({
        path: `${path}.desired`,
        message: `${route.name}: at most ${MAX_TARGET_GROUPS_PER_FORWARD} target groups per forward, got ${arns.length}`,
      });
    }
    const known = new Set(route.targets.map((target) => target.targetGroupArn));
    for (const arn of arns) {
      const weight = desired[arn];
      if (!known.has(arn)) {
        issues.push({
          path: `${path}.desired.${arn}`,
          message: `${route.name} does not forward to this target group`,
        });
      }
      if (weight === undefined || !Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
        issues.push({
          path: `${path}.desired.${arn}`,
          message: `${route.name}: weight must be an integer from 0 to ${MAX_WEIGHT}, got ${weight}`,
        });
      }
    }
  });
  if (issues.length > 0) throw new InvalidRequestError(issues);
};
