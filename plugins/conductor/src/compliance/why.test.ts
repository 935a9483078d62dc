import { explainResult, shortenTimes } from './why';

const now = new Date('2026-11-24T12:00:00Z');

describe('explainResult', () => {
  it('reads a share against its bound in percent', () => {
    expect(
      explainResult(
        {
          status: 'pass',
          message:
            'sbom.coverage = 0.97; meets: evidence.sbom_coverage >= 0.95',
          values: { 'sbom.coverage': 0.97 },
        },
        'evidence.sbom_coverage >= 0.95',
      ),
    ).toBe('sbom.coverage 97.0 % ≥ 95.0 %');
    expect(
      explainResult(
        {
          status: 'fail',
          message: '',
          values: { 'sbom.coverage': 0.81 },
        },
        'evidence.sbom_coverage >= 0.95',
      ),
    ).toBe('sbom.coverage 81.0 %, needs ≥ 95.0 %');
  });

  it('reads an age check as days', () => {
    expect(
      explainResult(
        {
          status: 'fail',
          message: '',
          values: { 'k6.last_run': '2026-10-01T12:00:00Z' },
        },
        'k6.last_run_age_days <= 30.0',
        now,
      ),
    ).toBe('k6.last_run 54 d old, needs ≤ 30 d');
  });

  it('reads a yes/no fact', () => {
    expect(
      explainResult(
        { status: 'fail', message: '', values: { 'mfa.enforced': false } },
        'mfa.enforced',
      ),
    ).toBe('mfa.enforced is no, needs yes');
  });

  it('falls back to the facts and the check as written', () => {
    expect(
      explainResult(
        {
          status: 'pass',
          message: '',
          values: { 'catalog.lifecycle': 'production' },
        },
        "catalog.lifecycle in ['experimental', 'production']",
      ),
    ).toBe(
      "catalog.lifecycle production; meets catalog.lifecycle in ['experimental', 'production']",
    );
  });

  it('keeps missing evidence and exemptions as sentences, with days instead of ISO times', () => {
    expect(
      explainResult(
        {
          status: 'fail',
          message: 'no evidence for alerts.defined',
          values: {},
        },
        'alerts.defined',
      ),
    ).toBe('no evidence for alerts.defined');
    expect(
      shortenTimes('exempt until 2099-01-01T00:00:00.000Z, approved by x: y'),
    ).toBe('exempt until 2099-01-01, approved by x: y');
    expect(
      explainResult({ status: 'not-applicable', message: '', values: {} }),
    ).toBe('Does not apply here.');
  });
});
