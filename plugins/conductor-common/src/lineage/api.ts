import { BlastRadiusReport, MitigationKind } from './blastRadius';
import { ContractChange } from './contractDiff';
import { LineageEdge, LineageNode } from './model';

/** `GET /lineage/graph/:kind/:ns/:name?depth=&maxNodes=` @public */
export interface LineageGraphResponse {
  /** The node the neighbourhood is drawn around. */
  root: string;
  depth: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when the depth, node cap or time budget cut the neighbourhood: expand a node to see more. */
  partial: boolean;
  partialReason?: 'depth' | 'time' | 'nodes';
}

/** `GET /lineage/blast-radius/node?id=` — what a change to one node reaches. @public */
export interface LineageNodeRadiusResponse {
  start: string;
  nodes: Array<{ id: string; depth: number }>;
  edges: LineageEdge[];
  partial: boolean;
  partialReason?: 'depth' | 'time' | 'nodes';
}

/** One operation document in a request. @public */
export interface LineageOperationInput {
  /** Its name or path in the client's repository, e.g. `src/queries/OrderDetails.graphql`. */
  file: string;
  text: string;
  client?: string;
  tenants?: string[];
}

/** `POST /lineage/blast-radius` (CI token or a person). @public */
export interface BlastRadiusRequest {
  /** The API whose schema changes, e.g. `api:default/orders-graphql`. */
  entityRef: string;
  /** The new SDL. */
  headSdl: string;
  /** The old SDL; default the API's definition in the catalog. */
  baseSdl?: string;
  /** Judge these operations instead of the ones registered for the API. */
  operations?: LineageOperationInput[];
  /** Recorded mitigations by change path. */
  mitigations?: Record<string, string>;
  /** Default `conductor.lineage.maxServices` (0). */
  maxServices?: number;
}

/** The report, with what the graph walk from the impacted fields reached. @public */
export interface BlastRadiusResponse extends BlastRadiusReport {
  /** Resolvers, policies, tests and contracts behind the changed fields. */
  reached: Array<{ id: string; kind: string; depth: number }>;
  /** The alert "blast radius > N services without mitigation" for this check (always sent by the backend). */
  alert?: BlastRadiusAlertStatus;
}

/**
 * The alert "blast radius > N services without mitigation" as one check
 * saw it: its threshold (for a settings page), whether the check crossed it
 * and what became of the notification.
 *
 * @public
 */
export interface BlastRadiusAlertStatus {
  /** N, from `conductor.lineage.maxServices` (default 0); a request's own `maxServices` moves the gate, not the alert. */
  maxServices: number;
  /** Where N is set: `conductor.lineage.maxServices`. */
  configKey: string;
  /** `conductor.alerts.blastRadius.enabled` (default true). */
  enabled: boolean;
  /** Paths of the breaking changes reaching more than N services without a recorded mitigation; empty when the check stays within N. */
  changes: string[];
  /** The services those changes reach. */
  services: string[];
  /** `queued`: a notification to the API's owner is on its way; `already-sent`: the same change set alerted before; `none`: see `reason`. */
  notification: 'queued' | 'already-sent' | 'none';
  reason?: string;
}

/** `POST /lineage/operations` (CI token): the operations one client sends to one API. @public */
export interface PushOperationsRequest {
  /** The API, e.g. `api:default/orders-graphql`. */
  entityRef: string;
  /** The client's name; its catalog component when it has one. */
  client: string;
  /** The catalog component of the client, e.g. `component:default/checkout-web`. */
  service?: string;
  tenants?: string[];
  /** The client's full set: replaces what was registered for it before. */
  operations: Array<{ file: string; text: string; tenants?: string[] }>;
}

/** @public */
export interface PushOperationsResponse {
  entityRef: string;
  client: string;
  operations: number;
  added: number;
  removed: number;
}

/** `POST /lineage/ingest` @public */
export interface LineageIngestResponse {
  nodes: number;
  edges: number;
  added: number;
  removed: number;
  /** What was skipped, naming the entity and file (a schema that does not parse...). */
  problems: string[];
  warnings: string[];
}

/** A stored lineage change event (the seed's dashboard "lineage change events"). @public */
export interface LineageChangeEvent {
  id: number;
  at: string;
  /** `added` or `removed`. */
  change: 'added' | 'removed';
  edge: LineageEdge;
  /** What made it: `ingest`, `ci:<subject>`, `snapshot`. */
  source: string;
}

/** `POST /lineage/contract-blast-radius`: a new version of a data contract. @public */
export interface ContractBlastRadiusRequest {
  /** The contract node, e.g. `Contract:Asset@v2`. */
  contract: string;
  /** The contract's JSON Schema as it is. */
  baseSchema: Record<string, unknown>;
  /** The JSON Schema of the new version. */
  headSchema: Record<string, unknown>;
  /** Default `conductor.lineage.maxServices`. */
  maxServices?: number;
}

/** @public */
export interface ContractBlastRadiusResponse {
  contract: string;
  /** GraphQL types that conform to the contract. */
  types: string[];
  changes: Array<
    ContractChange & {
      /** GraphQL fields exposing the property. */
      fields: string[];
      operations: string[];
      services: string[];
      tenants: string[];
      mitigation: Array<{ kind: MitigationKind; step: string }>;
    }
  >;
  /** Operations that read a changed property (a contract change is judged by use, not validation). */
  operations: string[];
  services: string[];
  tenants: string[];
  /** Resolvers reading or writing the contract, with their policies and tests. */
  reached: string[];
  partial: boolean;
  gate: { maxServices: number; failed: boolean; reasons: string[] };
}
