import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { urlReaderServiceFactory } from '@backstage/backend-defaults/urlReader';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { conductorPlugin } from '../plugin';
import { QUIET_SCHEDULES } from './testSchedules';

export { QUIET_SCHEDULES } from './testSchedules';

/** The static CI token the test backends accept (subject `ci-pipeline` unless given). */
export const CI_TOKEN = 'ci-token-for-tests-0123456789';

/** A component owned by `owner` (a group ref), with its ownedBy relation. */
export function componentEntity(
  name: string,
  options: {
    owner?: string;
    type?: string;
    metadata?: Partial<Entity['metadata']>;
    relations?: Entity['relations'];
  } = {},
): Entity {
  const owner = options.owner ?? 'group:default/payments';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...options.metadata },
    spec: { type: options.type ?? 'service', lifecycle: 'production', owner },
    relations: options.relations ?? [{ type: 'ownedBy', targetRef: owner }],
  };
}

/**
 * A team and its members as the catalog holds them (the relations the
 * notifications backend and the permission policy follow), e.g. the
 * payments group with alice. Users in `outsiders` belong to no group: an
 * alert to the team must not reach them.
 */
export function teamEntities(
  team: string,
  members: string[],
  outsiders: string[] = [],
): Entity[] {
  const groupRef = `group:default/${team}`;
  const user = (name: string, memberOf: string[]): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {},
    relations: memberOf.map(targetRef => ({ type: 'memberOf', targetRef })),
  });
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: team, namespace: 'default' },
      spec: { type: 'team', children: [] },
      relations: members.map(m => ({
        type: 'hasMember',
        targetRef: `user:default/${m}`,
      })),
    },
    ...members.map(m => user(m, [groupRef])),
    ...outsiders.map(o => user(o, [])),
  ];
}

/** Writes a controls catalog to a temporary file and returns its path. */
export function writeControlsFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-controls-'));
  const file = path.join(dir, 'controls.yaml');
  fs.writeFileSync(file, text);
  return file;
}

/**
 * Starts the conductor plugin in a test backend over a mock catalog, with
 * every scheduled task quiet. With `realAuth`, the real auth and httpAuth
 * services check the static CI token `CI_TOKEN` (subject `ciSubject`);
 * otherwise `mockCredentials` headers work.
 */
export async function startConductor(options: {
  entities: Entity[];
  /** A catalog service factory to use instead of a mock over `entities`. */
  catalog?: any;
  conductor?: object;
  backend?: object;
  app?: object;
  knex?: Knex;
  realAuth?: boolean;
  ciSubject?: string;
  urlReader?: boolean;
  features?: any[];
}): Promise<{ server: http.Server; stop: () => Promise<void> }> {
  const externalAccess = options.realAuth
    ? [
        {
          type: 'static',
          options: {
            token: CI_TOKEN,
            subject: options.ciSubject ?? 'ci-pipeline',
          },
        },
      ]
    : [];
  const backend = await startTestBackend({
    features: [
      conductorPlugin,
      options.catalog ??
        catalogServiceMock.factory({ entities: options.entities }),
      ...(options.realAuth ? [authServiceFactory, httpAuthServiceFactory] : []),
      ...(options.urlReader ? [urlReaderServiceFactory] : []),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      mockServices.rootConfig.factory({
        data: {
          ...(options.app ? { app: options.app } : {}),
          backend: { auth: { externalAccess }, ...options.backend },
          conductor: { ...QUIET_SCHEDULES, ...options.conductor },
        },
      }),
      ...(options.features ?? []),
    ],
  });
  return { server: backend.server, stop: () => backend.stop() };
}

/** A real HTTP server serving a folder: the repositories the collector reads. */
export function serveFolder(
  root: string,
): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer((req, res) => {
    const file = path.join(
      root,
      decodeURIComponent(new URL(req.url!, 'http://x').pathname),
    );
    if (
      !file.startsWith(root) ||
      !fs.existsSync(file) ||
      fs.statSync(file).isDirectory()
    ) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(fs.readFileSync(file));
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, base: `http://127.0.0.1:${port}` });
    }),
  );
}
