import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Maestro Conductor: evidence, compliance, readiness, SLO boards, lineage. */
  conductor?: {
    evidence?: {
      /**
       * JSON files of evidence loaded into an empty store at start-up (demo
       * data). Paths are relative to the backend's working directory; a
       * relative `observedAt` such as `-3d` is resolved at load time.
       */
      seedFiles?: string[];
      collect?: {
        /**
         * When the catalog and repository collectors run. Defaults to every
         * 30 minutes, 10 minute timeout, first run 15 s after start.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
