import { isAutoRestore, validateShiftRequest } from '../../core/request';
import { config } from './fixtures';

const cfg = config(['blue', 'green']);
const autoRestore = {
  action: 'restore',
  cluster: 'green',
  reason: 'green-5xx is OK',
  requestedBy: 'auto-restore:green-5xx',
  holdSeconds: 1_800,
};

const issuesOf = (input: unknown) => {
  try {
    validateShiftRequest(input, cfg);
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('an auto-restore request', () => {
  it('is accepted with holdSeconds and recognised as an auto-restore', () => {
    // Act
    const request = validateShiftRequest(autoRestore, cfg);

    // Assert
    expect(request).toMatchObject({ holdSeconds: 1_800, requestedBy: 'auto-restore:green-5xx' });
    expect(isAutoRestore(request)).toBe(true);
  });

  it.each([0, 86_400])('accepts holdSeconds %i (the bounds)', (holdSeconds) => {
    expect(issuesOf({ ...autoRestore, holdSeconds })).toBe('accepted');
  });

  it.each([
    ['holdSeconds above a day', { ...autoRestore, holdSeconds: 86_401 }, /holdSeconds/],
    ['holdSeconds negative', { ...autoRestore, holdSeconds: -1 }, /holdSeconds/],
    ['holdSeconds not whole', { ...autoRestore, holdSeconds: 1.5 }, /holdSeconds/],
    [
      'holdSeconds from an operator',
      { ...autoRestore, requestedBy: 'cli:alice' },
      /holdSeconds: holdSeconds is only for a restore requested by auto-restore:<alarm>/,
    ],
    [
      'holdSeconds on a drain',
      { ...autoRestore, action: 'drain', requestedBy: 'cli:alice' },
      /holdSeconds: holdSeconds is only for a restore/,
    ],
    [
      'an auto-restore requester asking for a drain',
      { ...autoRestore, action: 'drain', holdSeconds: undefined },
      /requestedBy: only a restore may be requested by auto-restore:/,
    ],
    ['an empty auto-restore requester', { ...autoRestore, requestedBy: 'auto-restore:' }, /requestedBy/],
  ])('refuses %s', (_name, input, message) => {
    expect(issuesOf(input)).toMatch(message);
  });

  it('is not an auto-restore when an operator restores', () => {
    // Act
    const request = validateShiftRequest(
      { ...autoRestore, holdSeconds: undefined, requestedBy: 'cli:al' },
      cfg,
    );

    // Assert
    expect(isAutoRestore(request)).toBe(false);
  });
});
