import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GOLDEN_PATHS,
  ProjectFile,
  firstEvidence,
  sloFilePath,
} from '@internal/create-ig';
import fs from 'node:fs';
import path from 'node:path';
import { git, REPOSITORY_NAME } from '../git';
import { remoteBaseOf } from './publishGit';

export interface RegisterDeps {
  config: Config;
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
}

function readProject(dir: string, prefix = '', out: ProjectFile[] = []) {
  for (const e of fs.readdirSync(path.join(dir, prefix), {
    withFileTypes: true,
  })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.name === '.git') continue;
    if (e.isDirectory()) readProject(dir, rel, out);
    else if (/\.(graphql|rego|yaml)$/.test(e.name))
      out.push({
        path: rel,
        content: fs.readFileSync(path.join(dir, rel), 'utf8'),
      });
  }
  return out;
}

/**
 * `conductor:golden-path:register`: makes the published project known to
 * the portal. It keeps a checkout of the remote the catalog reads
 * (`<remoteBase>/.catalog/<name>`), registers it as a catalog location, puts
 * the SLO file where the SLO boards read it (`conductor.slo.definitionsDir`,
 * same relative path as in the repository), waits for the component, then
 * pushes the first evidence (what a fresh scaffold already establishes) to
 * Conductor and asks the collectors to read the catalog now. If any step
 * fails, everything it and `publish:git` created is removed.
 */
export function createRegisterAction(deps: RegisterDeps) {
  return createTemplateAction({
    id: 'conductor:golden-path:register',
    description:
      'Registers a published golden-path project: catalog location, SLO file, first evidence',
    supportsDryRun: true,
    schema: {
      input: {
        template: z => z.enum(GOLDEN_PATHS),
        name: z => z.string().max(63),
        remoteUrl: z => z.string().max(1000),
      },
      output: {
        entityRef: z => z.string(),
        facts: z => z.number(),
      },
    },
    async handler(ctx) {
      const { name, remoteUrl } = ctx.input;
      if (!REPOSITORY_NAME.test(name)) {
        throw new InputError(`name: "${name}" must be a DNS label`);
      }
      const entityRef = `component:default/${name}`;
      if (ctx.isDryRun) {
        ctx.logger.info(`Would register ${entityRef} from ${remoteUrl}`);
        ctx.output('entityRef', entityRef);
        ctx.output('facts', 0);
        return;
      }
      const base = remoteBaseOf(deps.config);
      const remote = path.join(base, `${name}.git`);
      if (remoteUrl !== `file://${remote}`) {
        throw new InputError(
          `remoteUrl: ${remoteUrl} is not the repository publish:git created for ${name} (file://${remote})`,
        );
      }
      const checkout = path.join(base, '.catalog', name);
      const definitionsDir = deps.config.getOptionalString(
        'conductor.slo.definitionsDir',
      );
      const sloTarget = definitionsDir
        ? path.resolve(definitionsDir, sloFilePath(name))
        : undefined;
      const credentials = await ctx.getInitiatorCredentials();
      const created: {
        checkout?: boolean;
        slo?: boolean;
        locationId?: string;
      } = {};
      try {
        if (fs.existsSync(checkout)) {
          throw new InputError(
            `${checkout} already exists; another task registered ${name}`,
          );
        }
        fs.mkdirSync(path.dirname(checkout), { recursive: true });
        created.checkout = true;
        await git(['clone', '--quiet', remote, checkout], base);

        const sloSource = path.join(checkout, sloFilePath(name));
        if (fs.existsSync(sloSource)) {
          if (!sloTarget) {
            ctx.logger.warn(
              'conductor.slo.definitionsDir is not configured: the SLO boards will not read this SLO file',
            );
          } else {
            if (fs.existsSync(sloTarget)) {
              throw new InputError(
                `${sloTarget} already exists: an SLO file of another ${name}`,
              );
            }
            fs.mkdirSync(path.dirname(sloTarget), { recursive: true });
            fs.copyFileSync(sloSource, sloTarget);
            created.slo = true;
            ctx.logger.info(`Registered the SLO file at ${sloTarget}`);
          }
        }

        const location = await deps.catalog.addLocation(
          { type: 'file', target: path.join(checkout, 'catalog-info.yaml') },
          { credentials },
        );
        created.locationId = location.location.id;

        const waitSeconds =
          deps.config.getOptionalNumber(
            'conductor.goldenPaths.catalogWaitSeconds',
          ) ?? 60;
        const deadline = Date.now() + waitSeconds * 1000;
        while (
          !(await deps.catalog.getEntityByRef(entityRef, { credentials }))
        ) {
          if (Date.now() > deadline) {
            throw new Error(
              `${entityRef} did not appear in the catalog within ${waitSeconds} s`,
            );
          }
          await new Promise(resolve => setTimeout(resolve, 500));
        }
        ctx.logger.info(`${entityRef} is in the catalog`);

        const facts = firstEvidence(readProject(checkout));
        const conductor = await deps.discovery.getBaseUrl('conductor');
        const { token } = await deps.auth.getPluginRequestToken({
          onBehalfOf: await deps.auth.getOwnServiceCredentials(),
          targetPluginId: 'conductor',
        });
        const headers = {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        };
        if (facts.length) {
          const res = await fetch(`${conductor}/evidence`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ entityRef, facts }),
          });
          if (!res.ok) {
            throw new Error(
              `Conductor refused the first evidence: ${
                res.status
              } ${await res.text()}`,
            );
          }
          ctx.logger.info(
            `First evidence of ${entityRef}: ${facts
              .map(f => `${f.name}=${f.value}`)
              .join(', ')}`,
          );
        }
        // The catalog facts (owner, lifecycle, APIs) come from the collectors;
        // ask for a collection now rather than at the next schedule.
        const collect = await fetch(`${conductor}/evidence/collect`, {
          method: 'POST',
          headers,
        });
        if (!collect.ok)
          ctx.logger.warn(`Evidence collection not started: ${collect.status}`);
        ctx.output('entityRef', entityRef);
        ctx.output('facts', facts.length);
      } catch (e) {
        ctx.logger.error(
          `Registration of ${name} failed, removing what was created: ${
            (e as Error).message
          }`,
        );
        if (created.locationId) {
          await deps.catalog
            .removeLocationById(created.locationId, { credentials })
            .catch(err =>
              ctx.logger.error(
                `catalog location ${created.locationId} not removed: ${err}`,
              ),
            );
        }
        if (created.slo && sloTarget) fs.rmSync(sloTarget, { force: true });
        if (created.checkout)
          fs.rmSync(checkout, { recursive: true, force: true });
        fs.rmSync(remote, { recursive: true, force: true });
        throw e;
      }
    },
  });
}
