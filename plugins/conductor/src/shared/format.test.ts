import {
  formatAgo,
  formatDelta,
  formatFactValue,
  formatPercent,
  formatPoints,
  formatScore,
} from './format';

describe('formatters', () => {
  it('formats deltas in percentage points', () => {
    expect(formatDelta(0.8, 0.9)).toBe('-10.0 pts');
    expect(formatDelta(0.8, 0.8)).toBe('±0 pts');
    expect(formatDelta(0.8, null)).toBe('');
    expect(formatDelta(0.75, 0.5)).toBe('+25.0 pts');
    expect(formatPoints(0.0857)).toBe('+8.6 pts');
  });

  it('shows every score as a percent', () => {
    expect(formatScore(0.4)).toBe('40.0 %');
    expect(formatScore(null)).toBe('n/a');
    expect(formatPercent(0.99813)).toBe('99.8 %');
  });

  it('says "just now", never "just now ago"', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(formatAgo('2026-11-24T11:59:50Z', now)).toBe('just now');
    expect(formatAgo('2026-11-21T12:00:00Z', now)).toBe('3 d ago');
    expect(formatAgo('2026-11-24T09:00:00Z', now)).toBe('3 h ago');
  });

  it('formats facts by their type', () => {
    expect(
      formatFactValue({ name: 'sbom.coverage', type: 'number', value: 0.97 }),
    ).toBe('97.0 %');
    expect(
      formatFactValue({ name: 'mfa.enforced', type: 'boolean', value: false }),
    ).toBe('no');
  });
});
