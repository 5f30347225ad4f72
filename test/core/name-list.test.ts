import { MESSAGE_NAMES_LIMIT, nameList } from '../../core/name-list';

describe('nameList', () => {
  it('names every one of a short list', () => {
    expect(nameList(['a', 'b', 'c'])).toBe('a, b, c');
  });

  it('names the first 50 of 2,000 routes and counts the rest, so a message stays a few KB', () => {
    const names = Array.from({ length: 2_000 }, (_, i) => `r${i}.bench.example.com`);

    const text = nameList(names);

    expect(text.startsWith('r0.bench.example.com, r1.bench.example.com')).toBe(true);
    expect(text.endsWith(`r${MESSAGE_NAMES_LIMIT - 1}.bench.example.com … and 1950 more`)).toBe(true);
    expect(text.length).toBeLessThan(2_000);
  });
});
