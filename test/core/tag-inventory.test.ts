import { keptTags, mergeTagInventory } from '../../core/tag-inventory';

const CONTROLLER = ['elbv2.k8s.aws/', 'ingress.k8s.aws/'];

describe('keptTags', () => {
  it("keeps the fleet's cluster tag and the controller's keys, and nothing else", () => {
    // Act
    const kept = keptTags(
      { 'clustershift:cluster': 'blue', team: 'payments', 'elbv2.k8s.aws/cluster': 'eks-blue' },
      'clustershift:cluster',
      CONTROLLER,
    );

    // Assert
    expect(kept).toEqual({ 'clustershift:cluster': 'blue', 'elbv2.k8s.aws/cluster': 'eks-blue' });
  });
});

describe('mergeTagInventory', () => {
  const kept = new Map([
    ['tg-a', { 'clustershift:cluster': 'blue' }],
    ['tg-b', { 'clustershift:cluster': 'green' }],
  ]);

  it('is unchanged when the reads only confirm what was kept', () => {
    // Act
    const merged = mergeTagInventory(kept, new Map([['tg-a', { 'clustershift:cluster': 'blue' }]]));

    // Assert
    expect(merged.changed).toBe(false);
    expect(merged.entries).toEqual(kept);
  });

  it('takes a re-tagged resource from the live read and keeps the rest', () => {
    // Act
    const merged = mergeTagInventory(kept, new Map([['tg-b', { 'clustershift:cluster': 'blue' }]]));

    // Assert
    expect(merged.changed).toBe(true);
    expect(merged.entries.get('tg-b')).toEqual({ 'clustershift:cluster': 'blue' });
    expect(merged.entries.get('tg-a')).toEqual({ 'clustershift:cluster': 'blue' });
  });

  it('adds a resource it had not seen, and a tag removed since counts as a change', () => {
    // Act
    const added = mergeTagInventory(kept, new Map([['tg-c', {}]]));
    const untagged = mergeTagInventory(kept, new Map([['tg-a', {}]]));

    // Assert
    expect(added.changed).toBe(true);
    expect(added.entries.size).toBe(3);
    expect(untagged.changed).toBe(true);
    expect(untagged.entries.get('tg-a')).toEqual({});
  });

  it('starts one from the reads when none was kept', () => {
    // Act
    const merged = mergeTagInventory(undefined, new Map([['tg-a', { 'clustershift:cluster': 'blue' }]]));

    // Assert
    expect(merged).toEqual({
      entries: new Map([['tg-a', { 'clustershift:cluster': 'blue' }]]),
      changed: true,
    });
  });
});
