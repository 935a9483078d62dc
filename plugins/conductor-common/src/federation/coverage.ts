// Test coverage from the two report formats test runners write: LCOV
// (node --test, c8, jest, nyc) and Istanbul's json-summary.

/** Line coverage of a report. @public */
export interface LineCoverage {
  linesFound: number;
  linesHit: number;
  /** linesHit / linesFound; null when the report covers no line. */
  ratio: number | null;
}

/**
 * Line coverage of an LCOV report: the sum of every record's `LF`/`LH`.
 * Throws naming the line when a count is not a number.
 *
 * @public
 */
export function parseLcov(text: string): LineCoverage {
  let linesFound = 0;
  let linesHit = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const m = /^(LF|LH):(.*)$/.exec(line);
    if (!m) return;
    const n = Number(m[2]);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`line ${i + 1}: ${m[1]} must be a count, got ${m[2]}`);
    if (m[1] === 'LF') linesFound += n;
    else linesHit += n;
  });
  return {
    linesFound,
    linesHit,
    ratio: linesFound ? linesHit / linesFound : null,
  };
}

/** Line coverage of Istanbul's `coverage-summary.json` (`total.lines`). @public */
export function parseCoverageSummary(json: unknown): LineCoverage {
  const lines = (json as any)?.total?.lines;
  if (typeof lines?.total !== 'number' || typeof lines?.covered !== 'number')
    throw new Error(
      'total.lines.total and total.lines.covered must be numbers',
    );
  return {
    linesFound: lines.total,
    linesHit: lines.covered,
    ratio: lines.total ? lines.covered / lines.total : null,
  };
}
