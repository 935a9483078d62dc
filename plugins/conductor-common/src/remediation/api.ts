import { PlannedFix } from './plan';

/** State of the bot's change request (pull request). @public */
export type ChangeRequestState = 'open' | 'merged' | 'closed' | 'blocked';

/** One change request the bot opened, as the log shows it. @public */
export interface ChangeRequest {
  id: number;
  entityRef: string;
  /** Owner group of the entity when the PR was opened. */
  team?: string;
  /** Provider (`git` or `github`) and the repository it names. */
  provider: string;
  repository: string;
  branch: string;
  title: string;
  /** Number and address at the provider (GitHub); absent for plain git. */
  number?: number;
  url?: string;
  state: ChangeRequestState;
  controls: string[];
  /** The bot's last commit on the branch. */
  headSha: string;
  openedAt: string;
  updatedAt: string;
  mergedAt?: string;
  closedAt?: string;
  /** Why the bot stopped touching it (a person's commit, a rejected push). */
  blockedReason?: string;
  body: string;
}

/** What happened to a change request or a repository in a run. @public */
export type RemediationEventKind =
  | 'opened'
  | 'updated'
  | 'merged'
  | 'closed'
  | 'blocked'
  | 'failed'
  | 'suppressed'
  | 'rate-limited'
  | 'commented';

/** One line of the auto-PR log. @public */
export interface RemediationEvent {
  id: number;
  changeRequestId?: number;
  entityRef: string;
  team?: string;
  repository: string;
  kind: RemediationEventKind;
  controls: string[];
  message: string;
  at: string;
}

/** `POST /remediation/runs`. @public */
export interface RemediationRunRequest {
  /** Entities to fix (default: every component with a repository). */
  entityRefs?: string[];
  /** Only these controls. */
  controls?: string[];
  /** Plan and re-check only; push nothing. */
  dryRun?: boolean;
}

/** What a run did with one repository. @public */
export interface RepositoryRunResult {
  entityRef: string;
  repository: string;
  outcome:
    | 'opened'
    | 'updated'
    | 'unchanged'
    | 'nothing-to-fix'
    | 'not-ready'
    | 'suppressed'
    | 'blocked'
    | 'rate-limited'
    | 'failed'
    | 'planned';
  message: string;
  fixes: PlannedFix[];
  diff?: string;
  scoreBefore?: number | null;
  scoreAfter?: number | null;
  changeRequest?: ChangeRequest;
}

/** @public */
export interface RemediationRunResponse {
  results: RepositoryRunResult[];
}

/** `GET /remediation/log`. @public */
export interface RemediationLogResponse {
  changeRequests: ChangeRequest[];
  events: RemediationEvent[];
}

/** Auto-PR figures of one team (or `all`). @public */
export interface RemediationTeamStats {
  team: string;
  opened: number;
  merged: number;
  closed: number;
  open: number;
  /** Merged share of the change requests that ended (merged or closed). */
  mergeRate: number | null;
  /** Median hours from opened to merged. */
  medianHoursToMerge: number | null;
}

/** `GET /remediation/stats`. @public */
export interface RemediationStatsResponse {
  teams: RemediationTeamStats[];
  /** Auto-PRs opened and merged per ISO week (Monday, UTC). */
  weeks: Array<{ week: string; opened: number; merged: number }>;
}
