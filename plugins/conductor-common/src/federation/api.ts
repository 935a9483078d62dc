// The federation board's HTTP contract (`/api/conductor/federation`), shared
// by the backend router, the portal client and the CLI.
import { CiGateName, CiLibraryVersion } from './manifest';
import { CiDrift, CiPinKind, WorkflowParseError } from './pins';

/** A gate's last result as pushed by the evidence gate (`ci.gates`). @public */
export type CiGateStatus = 'pass' | 'fail' | 'error' | 'skipped';

/** Where a repository stands. @public */
export type FederationStatus =
  /** on the newest release */
  | 'current'
  /** behind, within the allowed number of versions */
  | 'behind'
  /** behind beyond `conductor.federation.maxVersionsBehind`: the "CI lib mismatch" alert */
  | 'mismatch'
  /** the pin names no released version */
  | 'unknown-version'
  /** workflows read, none uses the library */
  | 'unpinned'
  /** a workflow file could not be read or parsed */
  | 'unreadable';

/** One repository (catalog component) on the board. @public */
export interface FederationRepository {
  entityRef: string;
  title?: string;
  owner?: string;
  /** The repository's base URL (`backstage.io/source-location`). */
  sourceLocation?: string;
  status: FederationStatus;
  /** The workflow file and line of the pin, e.g. `.github/workflows/ci.yml:9`. */
  pinnedAt?: string;
  /** What follows `@` in `uses:`. */
  ref?: string;
  kind?: CiPinKind;
  /** The released version the ref runs, when known. */
  version?: string;
  /** Why the pin names no released version. */
  unresolved?: string;
  drift?: CiDrift;
  /** The adapter's `with:` (service, env, gate switches). */
  inputs?: Record<string, unknown>;
  /** Last gate results pushed as evidence (`ci.gates`, `ci.library_version`). */
  lastResults?: {
    gates: Partial<Record<CiGateName, CiGateStatus>>;
    version?: string;
    observedAt: string;
  };
  /** Workflow files that could not be parsed or read, with file and line. */
  errors: WorkflowParseError[];
  /** When the backend last read the repository. */
  scannedAt: string;
}

/** Repositories per version on one day. @public */
export interface FederationAdoptionPoint {
  day: string;
  byVersion: Record<string, number>;
  total: number;
}

/** `GET /api/conductor/federation`. @public */
export interface FederationBoardResponse {
  library: string;
  latest: string;
  versions: CiLibraryVersion[];
  maxVersionsBehind: number;
  runbookUrl: string;
  repositories: FederationRepository[];
  adoption: FederationAdoptionPoint[];
}

/** `POST /api/conductor/federation/pin`: upgrade or roll back by pull request. @public */
export interface FederationPinRequest {
  entityRef: string;
  /** A released version, e.g. `v1.1.0`. */
  version: string;
}

/** @public */
export interface FederationPinResponse {
  entityRef: string;
  from?: string;
  to: string;
  /** Files rewritten in the pull request. */
  files: string[];
  pullRequest: {
    url: string;
    branch: string;
    number?: number;
    created: boolean;
  };
}
