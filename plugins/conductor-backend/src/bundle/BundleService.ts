import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  BUNDLE_ARCHIVE_FORMAT,
  BUNDLE_MAX_ARCHIVE_BYTES,
  BundleScope,
  BundleSummary,
  buildBundleStatement,
  parseBundleArchive,
  serializeBundleArchive,
} from '@internal/plugin-conductor-common';
import { BundleStore, StoredBundle } from './BundleStore';
import { BundleSources, collectBundleFiles, entitiesOfScope } from './contents';
import { SIGNING_KEY_CONFIG, ed25519Signer, sha256Hex } from './signing';

export const toSummary = (b: StoredBundle): BundleSummary => ({
  id: b.id,
  scope: b.scope,
  since: b.since,
  createdAt: b.createdAt,
  createdBy: b.createdBy,
  keyId: b.keyId,
  fileCount: b.fileCount,
  sizeBytes: b.sizeBytes,
  archiveSha256: b.archiveSha256,
  downloadPath: `/bundles/${b.id}/download`,
});

/** Builds, signs, stores and serves evidence bundles. */
export class BundleService {
  constructor(
    private readonly deps: {
      store: BundleStore;
      sources: BundleSources;
      config: RootConfigService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** The signer from config, read at each create so a rotated key takes effect. */
  private signer() {
    const pem = this.deps.config.getOptionalString(SIGNING_KEY_CONFIG);
    if (!pem)
      throw new ServiceUnavailableError(
        `Bundles cannot be signed: set ${SIGNING_KEY_CONFIG} to a PEM Ed25519 private key`,
      );
    try {
      return ed25519Signer(pem);
    } catch (e) {
      throw new ServiceUnavailableError((e as Error).message);
    }
  }

  /** The entities a scope covers now. */
  entitiesOf(scope: BundleScope) {
    return entitiesOfScope(this.deps.sources.catalogSnapshot, scope);
  }

  async create(
    scope: BundleScope,
    entityRefs: string[],
    since: Date | null,
    createdBy: string,
  ): Promise<BundleSummary> {
    const signer = this.signer(); // refuse before collecting anything
    const createdAt = (this.deps.now?.() ?? new Date()).toISOString();
    const previousId = await this.deps.store.previousOfScope(scope);
    let previousSupplyChain: Record<string, unknown> | undefined;
    if (previousId !== undefined) {
      const previous = parseBundleArchive(
        (await this.deps.store.archive(previousId))!,
      );
      const file = previous.files.find(f => f.name === 'sbom/facts.json');
      if (file)
        previousSupplyChain = JSON.parse(
          Buffer.from(file.base64, 'base64').toString('utf8'),
        );
    }
    const { files } = await collectBundleFiles(
      this.deps.sources,
      scope,
      entityRefs,
      since,
      previousSupplyChain,
    );
    const manifest = files.map(f => ({
      name: f.name,
      size: f.content.length,
      sha256: sha256Hex(f.content),
    }));
    const statement = buildBundleStatement(
      { scope, since: since?.toISOString() ?? null, createdAt, createdBy },
      manifest,
    );
    const archive = serializeBundleArchive({
      header: {
        format: BUNDLE_ARCHIVE_FORMAT,
        createdAt,
        keyId: signer.keyId,
        publicKey: signer.publicKeyPem,
      },
      files: files.map(f => ({
        name: f.name,
        base64: f.content.toString('base64'),
      })),
      envelope: signer.envelope(JSON.stringify(statement)),
    });
    const sizeBytes = Buffer.byteLength(archive, 'utf8');
    if (sizeBytes > BUNDLE_MAX_ARCHIVE_BYTES)
      throw new ServiceUnavailableError(
        `The bundle would be ${sizeBytes} bytes, over the ${BUNDLE_MAX_ARCHIVE_BYTES} limit: narrow it with entityRef, team or since`,
      );
    const stored = {
      scope,
      entityRefs,
      since: since?.toISOString() ?? null,
      createdAt,
      createdBy,
      keyId: signer.keyId,
      fileCount: files.length,
      sizeBytes,
      archiveSha256: sha256Hex(archive),
    };
    const id = await this.deps.store.insert({ ...stored, archive });
    this.deps.logger.info(
      `Evidence bundle ${id} created by ${createdBy}: ${files.length} files, ${sizeBytes} bytes, key ${signer.keyId}`,
    );
    return toSummary({ id, ...stored });
  }

  list(limit = 200) {
    return this.deps.store.list(limit);
  }

  get(id: number) {
    return this.deps.store.get(id);
  }

  archive(id: number) {
    return this.deps.store.archive(id);
  }
}
