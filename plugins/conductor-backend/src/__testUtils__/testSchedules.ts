/**
 * Config that keeps every scheduled task of the plugin from running during a
 * test: tests trigger collection and runs through the API instead.
 */
const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 1 },
  initialDelay: { hours: 24 },
};

export const QUIET_SCHEDULES = {
  evidence: { collect: { schedule: later } },
  compliance: { schedule: later },
  readiness: { snapshot: { schedule: later }, directory: { schedule: later } },
};
