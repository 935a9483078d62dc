// Scores the overview tests answer with.
import {
  EntityComplianceResponse,
  EntityReadinessResponse,
} from '@internal/plugin-conductor-common';

export function compliance(
  entityRef: string,
  score: number,
  previousScore: number | null,
): EntityComplianceResponse {
  return {
    entityRef,
    runId: 4,
    score,
    previousScore,
    results: [],
    factChanges: [],
    history: [],
    exemptions: [],
  };
}

export function readiness(
  entityRef: string,
  score: number,
  next?: EntityReadinessResponse['next'],
): EntityReadinessResponse {
  return {
    entityRef,
    score,
    components: [],
    next,
    untrustedFacts: [],
    computedAt: '2026-11-24T00:00:00Z',
    thresholds: { production: 0.9 },
    history: [],
    decisions: [],
    overrides: [],
  };
}
