import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  compareSemverTags,
  FederationPinRequest,
  FederationPinResponse,
  findLibraryPins,
  findVersion,
  resolvePin,
  rewriteLibraryPins,
} from '@internal/plugin-conductor-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CatalogSnapshot } from '../shared/capability';
import { sourceOf } from '../shared/http';
import {
  BOT_EMAIL,
  cloneRepository,
  remoteHead,
  writeFiles,
} from '../remediation/git';
import {
  ChangeRequestProvider,
  RepositoryTarget,
} from '../remediation/providers';
import { Entity } from '@backstage/catalog-model';
import { FederationService } from './FederationService';

/** The one branch the bot keeps per repository for its pin changes. */
export const PIN_BRANCH = 'conductor/ig-ci-pin';

/**
 * Upgrade or roll back a repository's CI library version by pull request,
 * through the auto-remediation machinery: clone, rewrite every `uses:` of
 * the library to the new tag (nothing else in the files changes), commit as
 * the bot on a deterministic branch, push with a lease, and open (or update)
 * the change request at the provider. Never pushes over a person's commit.
 */
export class FederationPins {
  constructor(
    private readonly deps: {
      federation: FederationService;
      catalogSnapshot: CatalogSnapshot;
      resolveTarget: (entity: Entity) => RepositoryTarget | undefined;
      providers: Record<RepositoryTarget['provider'], ChangeRequestProvider>;
      logger: LoggerService;
    },
  ) {}

  async pin(
    req: FederationPinRequest,
    credentials: BackstageCredentials,
  ): Promise<FederationPinResponse> {
    const manifest = await this.deps.federation.manifest();
    if (!findVersion(manifest, req.version))
      throw new InputError(
        `version: ${req.version} is not a released version of ${
          manifest.library
        }; released: ${manifest.versions.map(v => v.version).join(', ')}`,
      );
    const entity = await this.deps.catalogSnapshot.fetch(req.entityRef);
    if (!entity)
      throw new NotFoundError(
        `entityRef: ${req.entityRef} is not in the catalog`,
      );
    const target = this.deps.resolveTarget(entity);
    if (!target)
      throw new InputError(
        `entityRef: ${req.entityRef} has no repository the bot can push to (annotation conductor.io/git-remote, a conductor.remediation.repositories rule, or a GitHub source location)`,
      );

    const checkout = await cloneRepository(target.remote, target.gitConfig);
    try {
      const changed: Record<string, string> = {};
      let from: string | undefined;
      for (const file of this.deps.federation.settings.workflowFiles) {
        const full = path.join(checkout.dir, ...file.split('/'));
        const text = await fs.readFile(full, 'utf8').catch(() => undefined);
        if (text === undefined) continue;
        const found = findLibraryPins(text, file, manifest.library);
        if (!found.ok)
          throw new InputError(
            `${found.error.file}:${found.error.line}:${found.error.column} ${found.error.message}`,
          );
        if (!found.pins.length) continue;
        from ??= found.pins[0].ref;
        const rewritten = rewriteLibraryPins(
          text,
          manifest.library,
          req.version,
        );
        if (rewritten !== text) changed[file] = rewritten;
      }
      if (from === undefined)
        throw new InputError(
          `${
            req.entityRef
          }: none of ${this.deps.federation.settings.workflowFiles.join(
            ', ',
          )} uses ${manifest.library}`,
        );
      if (!Object.keys(changed).length)
        throw new ConflictError(
          `${req.entityRef} already pins ${manifest.library}@${req.version}`,
        );

      const fromVersion = resolvePin(manifest, from).version?.version;
      const direction =
        fromVersion && compareSemverTags(req.version, fromVersion) < 0
          ? 'roll back'
          : 'upgrade';
      const name = entity.metadata.name;
      const title = `ig-ci: ${direction} ${name} from ${from} to ${req.version}`;
      const body = [
        `<!-- conductor-federation entity=${req.entityRef} version=${req.version} -->`,
        `Pins \`${manifest.library}\` to **${
          req.version
        }** (was \`${from}\`) in ${Object.keys(changed)
          .map(f => `\`${f}\``)
          .join(', ')}.`,
        '',
        direction === 'roll back'
          ? 'Rollback per the "Federation Rollback" runbook: merge, re-run the pipeline, and open an incident if the gates still regress.'
          : `Gates this version runs: ${Object.keys(
              findVersion(manifest, req.version)!.gates,
            ).join(', ')}.`,
        '',
        `Requested by ${sourceOf(
          credentials,
        )} through Conductor's federation board.`,
      ].join('\n');

      // Never over a person's work: every commit on the branch must be the bot's.
      const head = await remoteHead(checkout, PIN_BRANCH);
      if (head) {
        await checkout.run([
          'fetch',
          '--quiet',
          'origin',
          `refs/heads/${PIN_BRANCH}`,
        ]);
        const authors = (
          await checkout.run([
            'log',
            '--format=%H %ae',
            `origin/${checkout.base}..${head}`,
          ])
        )
          .split('\n')
          .filter(Boolean)
          .map(l => l.split(' '));
        const person = authors.find(([, email]) => email !== BOT_EMAIL);
        if (person)
          throw new ConflictError(
            `${PIN_BRANCH} has commit ${person[0].slice(0, 12)} by ${
              person[1]
            } that the bot did not make; it will not push over it. Merge or close that change request, or delete the branch.`,
          );
      }
      await checkout.run([
        'checkout',
        '--quiet',
        '-B',
        PIN_BRANCH,
        `origin/${checkout.base}`,
      ]);
      await writeFiles(checkout, changed);
      await checkout.run(['add', '--', ...Object.keys(changed)]);
      await checkout.run(
        ['commit', '--quiet', '-F', '-'],
        `${title}\n\n${body}`,
      );
      await checkout.run([
        'push',
        '--quiet',
        `--force-with-lease=refs/heads/${PIN_BRANCH}:${head ?? ''}`,
        'origin',
        `HEAD:refs/heads/${PIN_BRANCH}`,
      ]);
      const published = await this.deps.providers[target.provider].publish(
        target,
        {
          branch: PIN_BRANCH,
          base: checkout.base,
          title,
          body,
        },
      );
      this.deps.logger.info(`${title} (${target.repository} ${PIN_BRANCH})`);
      return {
        entityRef: req.entityRef,
        from,
        to: req.version,
        files: Object.keys(changed),
        pullRequest: {
          url: published.url ?? `${target.repository}#${PIN_BRANCH}`,
          branch: PIN_BRANCH,
          number: published.number,
          created: !head,
        },
      };
    } finally {
      await checkout.dispose();
    }
  }
}
