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
    /** Auto-remediation: the bot that opens pull requests fixing failing controls. */
    remediation?: {
      /** Controls catalog files; default: conductor.compliance.catalogFiles. */
      catalogFiles?: string[];
      /**
       * `repository` (default): one pull request per repository holding all
       * its fixes; `control`: one per repository and control (raise
       * limits.openPerRepository with it).
       */
      grouping?: 'repository' | 'control';
      /** Run the bot after each nightly compliance run. Default true. */
      afterNightly?: boolean;
      /**
       * Git remotes of repositories the UrlReader reads over another address:
       * a regular expression over the `backstage.io/source-location` and its
       * replacement (with $1...), e.g. the demo's repositories served over
       * HTTP and pushed to on disk. GitHub source locations need no rule.
       */
      repositories?: Array<{
        match: string;
        remote: string;
        /** `git` (default) or `github`. */
        provider?: string;
      }>;
      limits?: {
        /** Change requests opened per hour across all repositories. Default 10. */
        perHour?: number;
        /** Change requests open at once per repository. Default 1. */
        openPerRepository?: number;
      };
      /** Bot-wide recipe parameters, e.g. `runbook-link: { urlTemplate: https://runbooks.example.com/{name} }`; a repository's .conductor.yaml wins. */
      parameters?: { [recipe: string]: { [name: string]: string } };
    };
    /** Continuous compliance: controls catalog and runs. */
    compliance?: {
      /** Controls catalog files (YAML, `controls: [...]`), relative to the backend's working directory. */
      catalogFiles?: string[];
      /** Teams whose score is below this after a run get a notification. Default 0.8. */
      targetScore?: number;
      /** When the nightly run (evidence collection, then all controls) happens. Default 02:30 daily. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** Production readiness score (PRS) and the promotion gate. */
    /** Contract lineage and blast radius (docs/lineage.md). */
    lineage?: {
      /**
       * Services a breaking change may reach without a recorded mitigation
       * before the blast-radius check fails (the seed's alert "blast radius
       * > N services without mitigation"). Default 0.
       */
      maxServices?: number;
      walk?: {
        /** Hops of a blast-radius walk. Default 6, at most 20. */
        maxDepth?: number;
        /** Time budget of one walk in milliseconds; past it the answer says partial. Default 200. */
        budgetMs?: number;
      };
      graph?: {
        /** Most nodes one neighbourhood sends to the portal (10 to 2,000). Default 500. */
        maxNodes?: number;
      };
      ingest?: {
        /** When the graph is rebuilt from the catalog, manifests and operations. Default every 30 minutes. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    readiness?: {
      /**
       * Weight of each PRS component; only coverage, slo, evidence, runbooks,
       * chaos_recency and k6_recency; none negative; they must sum to 1.
       * Defaults to the seed's weights.
       */
      weights?: {
        coverage?: number;
        slo?: number;
        evidence?: number;
        runbooks?: number;
        chaos_recency?: number;
        k6_recency?: number;
      };
      /** Minimum score per environment; production defaults to 0.9 and is used for unlisted ones. */
      thresholds?: { [environment: string]: number };
      recency?: {
        /** Days after which a k6 or chaos run has lost half its value. Default 14. */
        halfLifeDays?: number;
        /** Days after which a k6 or chaos run counts 0. Default 90. */
        maxAgeDays?: number;
      };
      /** Facts whose presence and freshness make evidence complete. */
      requiredFacts?: string[];
      /** A fact older than this is stale; all facts stale blocks promotion. Default 30. */
      maxEvidenceAgeDays?: number;
      /** Source prefixes whose facts count toward the score. Default ci: and collector:. */
      trustedSources?: string[];
      snapshot?: {
        /** When every component is scored and stored for the team trend. Default daily. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      directory?: {
        /**
         * When each replica rebuilds its snapshot of components and owners,
         * which the gate uses instead of asking the catalog on every call.
         * Default every 5 minutes; always runs on every replica.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    /** Backfill runner: definitions, target databases, cost and health. */
    backfill?: {
      /** Backfill definition files (YAML), relative to the backend's working directory. */
      definitionFiles?: string[];
      /**
       * Databases backfills write to, by name (a definition's `connection`):
       * `{ client: pg | better-sqlite3, connection }`, or
       * `{ usePluginDatabase: true }` for the plugin's own database (the
       * cursor then commits in the batch's transaction).
       */
      connections?: {
        [name: string]: {
          usePluginDatabase?: boolean;
          client?: 'pg' | 'better-sqlite3';
          /**
           * A knex connection: a connection string or object (pg), a file name (SQLite).
           * @visibility secret
           */
          connection?: string | object;
          /** Demo only: SQL files run on this connection at start; each must be safe to run again. */
          seedFiles?: string[];
        };
      };
      /** What a run costs; a definition's `cost_budget` is in the same unit. Both default to 0. */
      unitCost?: {
        /** Price of one million rows processed. */
        perMillionRows?: number;
        /** Price of one second of database time spent in batches. */
        perDbSecond?: number;
      };
      /**
       * A run whose last five batches cost more than this many times its
       * average database time a row is paused (the "backfill cost spike"
       * alert). Measured only when `unitCost.perDbSecond` is above 0. Default 3.
       */
      costSpikeFactor?: number;
      /** Prometheus for the definitions' `health.prometheus` queries. */
      prometheus?: { url?: string };
      /** How long a runner's lease on a run lasts without renewal. Default 30. */
      leaseSeconds?: number;
      /**
       * How often each replica's runner looks for work. Default every 10 s,
       * 5 min timeout; every replica runs it (leases keep them apart).
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** Signed evidence bundles (docs/bundle.md). */
    bundle?: {
      /**
       * PEM Ed25519 private key (PKCS#8) bundles are signed with. Without it,
       * creating a bundle is refused naming this key.
       * @visibility secret
       */
      signingKey?: string;
    };
    /** Federated CI library: the board of ig-ci pins (docs/federation.md). */
    federation?: {
      /**
       * The library manifest (each release's gates and thresholds): a file
       * path, relative to the backend's working directory, or a URL read
       * through the UrlReader. Default ../../ci/manifest.json.
       */
      manifest?: string;
      /** Workflow files read in each repository, relative to its source location. Default [.github/workflows/ci.yml]. */
      workflowFiles?: string[];
      /** Beyond this many releases behind the newest, the owner gets the "CI lib mismatch" alert. Default 1. */
      maxVersionsBehind?: number;
      /** The "Federation Rollback" runbook the board links to. */
      runbookUrl?: string;
      /** Schedule of the scan of every repository (default hourly). */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** Team SLO boards from Prometheus (docs/slo.md). */
    slo?: {
      prometheus?: {
        /** Prometheus base URL, e.g. http://127.0.0.1:9090. Without it boards say no Prometheus is configured. */
        url?: string;
        /** Per query. Default 10000. */
        timeoutMs?: number;
      };
      /** How long an answer of Prometheus is reused. Default 30. */
      cacheTtlSeconds?: number;
      /**
       * Most SLOs asked in one query. A board asks one query per window for
       * up to this many SLOs; larger boards send several side by side
       * (Prometheus runs each query on one core). Default 50.
       */
      batchSize?: number;
      /** Directory relative SLO file annotations (conductor.io/slo-file) are read from. */
      definitionsDir?: string;
      /** Window of Sloth files and SLAs, which carry none: 28 or 30. Default 30. */
      defaultWindowDays?: number;
      /** How the conductor.io/sla annotation's latency histogram is named. */
      sla?: {
        /** Histogram base name in seconds. Default http_request_duration_seconds. */
        metric?: string;
        /** Default service. */
        serviceLabel?: string;
        /** Default operation. */
        operationLabel?: string;
      };
      /** Unit cost: cost per 1,000 requests per service. */
      cost?: {
        /** PromQL: cost per second by service label. */
        query: string;
        /** PromQL: requests per second by the same label, over the same window. */
        requestsQuery: string;
        /** Default service. */
        serviceLabel?: string;
        /** Cost per 1,000 requests above which the board marks the service. */
        guardrailPerThousandRequests?: number;
        /** Default USD. */
        currency?: string;
      };
      alerts?: {
        /** When burn alerts are evaluated and slo.adherence recorded. Default every 5 minutes. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    /**
     * The alerts Conductor sends as Backstage notifications (docs/alerts.md).
     * Each can be switched off; thresholds stay under their capability's key.
     */
    alerts?: {
      /** "Compliance score below target" (`conductor.compliance.targetScore`). */
      complianceBelowTarget?: ConductorAlertConfig;
      /** "CI library mismatch" (`conductor.federation.maxVersionsBehind`). Default throttle a day. */
      ciLibraryMismatch?: ConductorAlertConfig;
      /** "Release blocked" (PRS below the threshold, `conductor.readiness.thresholds`). Default throttle an hour. */
      releaseBlocked?: ConductorAlertConfig;
      /** "Backfill cost spike" and over-budget pauses. Default throttle 10 minutes. */
      backfillCostSpike?: ConductorAlertConfig;
      /** "Blast radius over N services without mitigation" (`conductor.lineage.maxServices`). */
      blastRadius?: ConductorAlertConfig;
      /** SLO error budget burning too fast (`conductor.slo.defaultWindowDays`). */
      sloBurnRate?: ConductorAlertConfig;
    };
  };
}

/** One alert's switch and repeat window. */
interface ConductorAlertConfig {
  /** false: no notification is sent (the gate, pause or run still happens). Default true. */
  enabled?: boolean;
  /** Least minutes between two sends for the same subject; 0 to 10080. */
  throttleMinutes?: number;
}
