import { formatAge, formatTime } from './time';

describe('formatAge', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');

  it('says how long ago, in the largest whole unit', () => {
    expect(formatAge('2026-11-29T11:59:30Z', now)).toBe('just now');
    expect(formatAge('2026-11-29T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatAge('2026-11-29T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatAge('2026-11-28T12:00:00Z', now)).toBe('yesterday');
    expect(formatAge('2026-10-01T12:00:00Z', now)).toBe('last month');
  });

  it('gives back what is no time', () => {
    expect(formatAge('soon', now)).toBe('soon');
    expect(formatTime('soon')).toBe('soon');
  });
});
