import { formatDelta } from './format';

describe('formatters', () => {
  it('formats deltas', () => {
    expect(formatDelta(0.8, 0.9)).toBe('-0.1');
    expect(formatDelta(0.8, 0.8)).toBe('±0');
    expect(formatDelta(0.8, null)).toBe('');
  });
});
