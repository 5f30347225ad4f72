/**
 * Integer apportionment. Written by hand: no maintained library does capped, house-monotone
 * apportionment over small integer weights.
 */

/**
 * Splits `total` units in proportion to `shares` with largest-remainder rounding. Used once per
 * target (W1), where a single rounding is all that is needed. Ties go to the earlier index.
 * All shares 0 → split equally.
 */
export const largestRemainder = (total: number, shares: readonly number[]): number[] => {
  if (shares.length === 0) return [];
  const sum = shares.reduce((a, b) => a + b, 0);
  const basis = sum > 0 ? shares : shares.map(() => 1);
  const basisSum = sum > 0 ? sum : shares.length;
  const exact = basis.map((share) => (total * share) / basisSum);
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    floors[index] = (floors[index] ?? 0) + 1;
    left -= 1;
  }
  return floors;
};

/**
 * Hands out `units` one at a time (D'Hondt order: highest share / (given + 1) first), never more
 * than a member's share. Unlike largest remainder this is house-monotone: giving out one more unit
 * never takes a unit from anyone, which is what keeps every target group's weight monotonic across
 * steps (largest remainder shows the Alabama paradox with three or more target groups).
 * With units = sum(shares) every member gets exactly its share.
 */
export const sequentialApportion = (units: number, shares: readonly number[]): number[] => {
  const given = shares.map(() => 0);
  for (let unit = 0; unit < units; unit++) {
    let best = -1;
    let bestPriority = -1;
    shares.forEach((share, index) => {
      const current = given[index] ?? 0;
      if (current >= share) return;
      const priority = share / (current + 1);
      if (priority > bestPriority) {
        best = index;
        bestPriority = priority;
      }
    });
    if (best < 0) break;
    given[best] = (given[best] ?? 0) + 1;
  }
  return given;
};
