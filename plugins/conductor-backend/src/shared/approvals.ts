import { parseEntityRef } from '@backstage/catalog-model';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  conductorEvidenceReadPermission,
  normalizeEntityRef,
} from '@internal/plugin-conductor-common';
import express from 'express';
import { z } from 'zod';
import { ENTITY_REF, ID_PARAM, parseBody } from './http';
import { isAdmin, requirePermission } from './permissions';
import { CatalogSnapshot } from './capability';

const normal = (ref: string) => {
  const n = normalizeEntityRef(ref);
  return typeof n === 'string' ? n : ref.trim().toLocaleLowerCase('en-US');
};

/**
 * The two-person rule: the approver is a user in the catalog and not the
 * person who asked, compared as normalised entity refs (so a different case,
 * a trailing space or a namespace spelled out does not make a second person).
 */
export async function assertSecondPerson(
  snapshot: CatalogSnapshot,
  requester: string,
  approver: string,
): Promise<void> {
  if (normal(requester) === normal(approver)) {
    throw new NotAllowedError(
      'A person cannot approve their own request: someone else must approve it',
    );
  }
  let kind: string;
  try {
    kind = parseEntityRef(approver).kind.toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(`approver ${approver} is not an entity ref`);
  }
  const { exists } =
    kind === 'user'
      ? await snapshot.lookup(normal(approver))
      : { exists: false };
  if (!exists) {
    throw new NotAllowedError(
      `${approver} is not a user in the catalog: approvals need a known person`,
    );
  }
}

/** Revoking is for the requester, the approver or an admin. */
export function assertMayRevoke(
  subject: { createdBy: string; approver: string },
  actor: string,
  actorIsAdmin: boolean,
  what: string,
): void {
  const me = normal(actor);
  if (
    actorIsAdmin ||
    me === normal(subject.createdBy) ||
    (subject.approver && me === normal(subject.approver))
  ) {
    return;
  }
  throw new NotAllowedError(
    `Only the requester, the approver or an admin may revoke ${what}`,
  );
}

const ENTITY_QUERY = z.object({ entityRef: ENTITY_REF }).strict();

/**
 * The routes exemptions and overrides share: list an entity's
 * (`GET /<path>?entityRef=`, read permission) and revoke one (`DELETE
 * /<path>/:id`, the revoke permission on its entity, then the service lets
 * only its requester, its approver or an admin).
 */
export function addListAndRevokeRoutes<T extends { entityRef: string }>(
  router: express.Router,
  deps: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    /** e.g. `/exemptions`; the list answers `{ [key]: T[] }`. */
    path: string;
    key: string;
    /** e.g. "exemptions", for messages. */
    what: string;
    revokePermission: ResourcePermission<'catalog-entity'>;
    list(entityRef: string): Promise<T[]>;
    get(id: number): Promise<T>;
    revoke(id: number, actor: string, actorIsAdmin: boolean): Promise<void>;
  },
): void {
  const { httpAuth, permissions } = deps;
  router.get(deps.path, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { entityRef } = parseBody(ENTITY_QUERY, req.query);
    await requirePermission(
      permissions,
      credentials,
      conductorEvidenceReadPermission,
      `Not allowed to read evidence of ${entityRef}`,
      entityRef,
    );
    res.json({ [deps.key]: await deps.list(entityRef) });
  });

  router.delete(`${deps.path}/:id`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const id = parseBody(ID_PARAM, req.params.id);
    const subject = await deps.get(id);
    await requirePermission(
      permissions,
      credentials,
      deps.revokePermission,
      `Not allowed to revoke ${deps.what} of ${subject.entityRef}`,
      subject.entityRef,
    );
    await deps.revoke(
      id,
      credentials.principal.userEntityRef,
      await isAdmin(permissions, credentials),
    );
    res.status(204).end();
  });
}
