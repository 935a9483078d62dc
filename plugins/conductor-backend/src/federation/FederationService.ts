import {
  BackstageCredentials,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  CiGateName,
  CiGateStatus,
  CiLibraryManifest,
  CiLibraryPin,
  computeDrift,
  conductorFederationReadPermission,
  FederationBoardResponse,
  FederationRepository,
  findLibraryPins,
  latestVersion,
  parseCiManifest,
  resolvePin,
  WorkflowParseError,
  alertLinks,
} from '@internal/plugin-conductor-common';
import fs from 'node:fs';
import path from 'node:path';
import { AlertSender } from '../shared/AlertSender';
import { AlertSwitch } from '../shared/alertSettings';
import { CatalogSnapshot, EvidenceAccess } from '../shared/capability';
import { allowedEntities } from '../shared/permissions';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { FederationStore, MAX_ADOPTION_DAYS } from './FederationStore';
import { sourceLocationOf } from '../evidence/collectors/RepositoryEvidenceCollector';

/** `conductor.federation` as read at start-up. */
export interface FederationSettings {
  /** The library manifest: a file path (relative to the backend's working directory) or a URL read through the UrlReader. */
  manifest: string;
  /** Workflow files read in each repository, relative to its source location. */
  workflowFiles: string[];
  /** Beyond this many releases behind, the owner gets the "CI lib mismatch" alert. */
  maxVersionsBehind: number;
  /** The "Federation Rollback" runbook the board links to. */
  runbookUrl: string;
  /** `conductor.alerts.ciLibraryMismatch`: on/off and repeat window (default a day). */
  mismatchAlert: AlertSwitch;
}

const DAY_MS = 86_400_000;

/**
 * The federation board: which ig-ci version each repository pins (read from
 * its workflow files through the UrlReader), drift from the newest release,
 * gates present and missing, last gate results from evidence, adoption over
 * time, and the "CI lib mismatch" alert.
 */
export class FederationService {
  constructor(
    private readonly deps: {
      store: FederationStore;
      urlReader: UrlReaderService;
      catalogSnapshot: CatalogSnapshot;
      evidence: EvidenceAccess;
      alerts: AlertSender;
      permissions: PermissionsService;
      logger: LoggerService;
      settings: FederationSettings;
    },
  ) {}

  get settings() {
    return this.deps.settings;
  }

  /** Reads and validates the manifest; throws naming the source and field. */
  async manifest(): Promise<CiLibraryManifest> {
    const source = this.deps.settings.manifest;
    let text: string;
    if (/^https?:\/\//.test(source)) {
      const response = await this.deps.urlReader.readUrl(source);
      text = (await response.buffer()).toString('utf8');
    } else {
      text = await fs.promises.readFile(path.resolve(source), 'utf8');
    }
    const parsed = parseCiManifest(text);
    if (!parsed.ok)
      throw new Error(
        `${source}: ${parsed.errors
          .map(e => `${e.field}: ${e.message}`)
          .join('; ')}`,
      );
    return parsed.manifest;
  }

  /** Reads one workflow file; null when the repository has no such file. */
  private async readWorkflow(
    base: string,
    file: string,
    signal?: AbortSignal,
  ): Promise<string | null> {
    try {
      const response = await this.deps.urlReader.readUrl(
        new URL(file, base).toString(),
        { signal },
      );
      return (await response.buffer()).toString('utf8');
    } catch (e) {
      if ((e as Error).name === NotFoundError.name) return null;
      throw e;
    }
  }

  /** Scans one repository: its pin, drift and gates. Never throws for the repository's content. */
  async scanEntity(
    entity: Entity,
    manifest: CiLibraryManifest,
    signal?: AbortSignal,
  ): Promise<FederationRepository | undefined> {
    const base = sourceLocationOf(entity);
    if (!base) return undefined;
    const entityRef = stringifyEntityRef(entity);
    const errors: WorkflowParseError[] = [];
    const pins: CiLibraryPin[] = [];
    for (const file of this.deps.settings.workflowFiles) {
      let text: string | null;
      try {
        text = await this.readWorkflow(base, file, signal);
      } catch (e) {
        errors.push({
          file,
          line: 0,
          column: 0,
          message: `could not read: ${(e as Error).message}`,
        });
        continue;
      }
      if (text === null) continue;
      const found = findLibraryPins(text, file, manifest.library);
      if (found.ok) pins.push(...found.pins);
      else errors.push(found.error);
    }
    const repo: FederationRepository = {
      entityRef,
      title: entity.metadata.title,
      owner: this.deps.catalogSnapshot.ownerOf(entityRef),
      sourceLocation: base,
      status: 'unpinned',
      errors,
      scannedAt: new Date().toISOString(),
    };
    // The reusable workflow's job is the pin; a composite action alone counts too.
    const pin = pins.find(p => p.uses.includes(manifest.workflow)) ?? pins[0];
    if (!pin) {
      if (errors.length) repo.status = 'unreadable';
      return repo;
    }
    const resolved = resolvePin(manifest, pin.ref);
    Object.assign(repo, {
      pinnedAt: `${pin.file}:${pin.line}`,
      ref: pin.ref,
      kind: pin.kind,
      inputs: pin.with,
      drift: computeDrift(manifest, resolved, pin.with),
    });
    if (!resolved.version) {
      repo.status = 'unknown-version';
      repo.unresolved = resolved.unresolved;
      return repo;
    }
    repo.version = resolved.version.version;
    const behind = repo.drift!.versionsBehind ?? 0;
    if (behind === 0) repo.status = 'current';
    else if (behind <= this.deps.settings.maxVersionsBehind)
      repo.status = 'behind';
    else repo.status = 'mismatch';
    return repo;
  }

  /** Scans every component with a source location; stores the result, alerts owners. */
  async scan(
    signal?: AbortSignal,
    options: { refreshCatalog?: boolean } = {},
  ): Promise<FederationRepository[]> {
    const manifest = await this.manifest();
    // On demand, see the catalog as it is now, not as of the last snapshot.
    if (options.refreshCatalog) await this.deps.catalogSnapshot.refresh();
    const repositories: FederationRepository[] = [];
    for (const entity of this.deps.catalogSnapshot.entities(['Component'])) {
      signal?.throwIfAborted();
      const repo = await this.scanEntity(entity, manifest, signal);
      if (repo) repositories.push(repo);
    }
    const evidence = await this.deps.evidence.latestForEntities(
      repositories.map(r => r.entityRef),
    );
    for (const repo of repositories) {
      const facts = evidence.get(repo.entityRef) ?? [];
      const gates = facts.find(f => f.name === 'ci.gates');
      const version = facts.find(f => f.name === 'ci.library_version');
      if (gates && gates.value && typeof gates.value === 'object')
        repo.lastResults = {
          gates: gates.value as Partial<Record<CiGateName, CiGateStatus>>,
          version:
            typeof version?.value === 'string' ? version.value : undefined,
          observedAt: gates.observedAt,
        };
    }
    await this.deps.store.saveScan(
      repositories,
      new Date().toISOString().slice(0, 10),
      true,
    );
    for (const repo of repositories) this.alertMismatch(repo, manifest);
    return repositories;
  }

  /** The seed's "CI lib mismatch" alert, to the owner, at most once a day (by default) per repository. */
  private alertMismatch(
    repo: FederationRepository,
    manifest: CiLibraryManifest,
  ) {
    const { enabled, throttleMs } = this.deps.settings.mismatchAlert;
    if (!enabled || repo.status !== 'mismatch' || !repo.owner) return;
    const latest = latestVersion(manifest).version;
    const key = `conductor.federation.mismatch:${repo.entityRef}`;
    this.deps.alerts.enqueue(
      key,
      {
        recipients: { type: 'entity', entityRef: repo.owner },
        payload: {
          title: `CI lib mismatch: ${repo.entityRef} pins ${manifest.library}@${repo.ref}, ${repo.drift?.versionsBehind} versions behind ${latest}`,
          description: `Allowed: ${
            this.deps.settings.maxVersionsBehind
          } behind. Gates added since: ${
            repo.drift?.gatesAddedSince.join(', ') || 'none'
          }. Pinned at ${repo.pinnedAt}.`,
          link: alertLinks.ciLibraryMismatch.to(),
          severity: 'normal',
          topic: 'conductor.federation.mismatch',
          scope: key,
        },
      },
      throttleMs,
    );
  }

  /** The board for the caller: repositories it may read, and their adoption. */
  async board(
    credentials: BackstageCredentials,
    days: number,
  ): Promise<FederationBoardResponse> {
    const manifest = await this.manifest();
    const all = await this.deps.store.repositories();
    const allowed = await allowedEntities(
      this.deps.permissions,
      credentials,
      conductorFederationReadPermission,
      all.map(r => r.entityRef),
    );
    const repositories = all.filter(r => allowed.has(r.entityRef));
    const since = new Date(
      Date.now() - (Math.min(days, MAX_ADOPTION_DAYS) - 1) * DAY_MS,
    )
      .toISOString()
      .slice(0, 10);
    return {
      library: manifest.library,
      latest: latestVersion(manifest).version,
      versions: manifest.versions,
      maxVersionsBehind: this.deps.settings.maxVersionsBehind,
      runbookUrl: this.deps.settings.runbookUrl,
      repositories,
      adoption: await this.deps.store.adoption(since, allowed),
    };
  }

  /** One repository's row; NotFoundError when not scanned or not readable. */
  async repository(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<FederationRepository> {
    const repo = await this.deps.store.repository(entityRef);
    const allowed = repo
      ? await allowedEntities(
          this.deps.permissions,
          credentials,
          conductorFederationReadPermission,
          [entityRef],
        )
      : new Set<string>();
    if (!repo || !allowed.has(entityRef))
      throw new NotFoundError(`${entityRef} is not on the federation board`);
    return repo;
  }
}
