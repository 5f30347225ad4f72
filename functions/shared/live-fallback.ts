import type { LiveFallback } from '../../aws/target-health';
import { logger } from './logger';

/**
 * Says why target health was read live instead of from CloudWatch: a silent fallback hid why a large
 * fleet's Prepare was slow (1,000 DescribeTargetHealth calls, issue 15), whether CloudWatch could
 * not be read at all or answered without a fresh datapoint for some target groups.
 */
export const logLiveFallback = (fallback: LiveFallback): void => {
  if (fallback.cloudWatchError !== undefined) {
    logger.warn('target health metrics unreadable: read live instead', {
      error: String(fallback.cloudWatchError),
      targetGroups: fallback.targetGroups,
    });
    return;
  }
  // Not a fault: a target group at weight 0 may publish no health metric (a restore's receivers).
  logger.info('no fresh target health datapoint for some target groups: read them live', {
    withoutFreshDatapoint: fallback.withoutFreshDatapoint,
    targetGroups: fallback.targetGroups,
  });
};
