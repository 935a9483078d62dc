import {
  AuthorizeResult,
  isResourcePermission,
  type Permission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import type { ConductorRoles } from './config';

/**
 * What a conductor permission is for, read from its name and action:
 * `….approve` is for approvers, `….request` and `….revoke` for the owning
 * team, `read` for the team (and everyone when reads are open); anything
 * else (runs, reloads, collection, recording evidence as a person) is for
 * admins. A capability adding a permission gets the safe default (admins)
 * unless its name says otherwise.
 */
export type ConductorPermissionKind =
  | 'read'
  | 'request'
  | 'approve'
  | 'revoke'
  | 'admin';

/** @internal exported for tests */
export function conductorPermissionKind(
  permission: Permission,
): ConductorPermissionKind {
  const name = permission.name;
  if (name.endsWith('.approve')) return 'approve';
  if (name.endsWith('.request')) return 'request';
  if (name.endsWith('.revoke')) return 'revoke';
  // Operating a team's own running work (a backfill): the owning team.
  if (name.endsWith('.control')) return 'request';
  if (permission.attributes.action === 'read') return 'read';
  return 'admin';
}

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The portal's permission policy.
 *
 * Only people come through here: Backstage's permissions service answers
 * for service principals (the CI token, other plugins) itself, from their
 * `accessRestrictions`, without asking the policy.
 *
 * - conductor permissions: admins may do everything; approvers may approve;
 *   the owning team may read, ask for exemptions and overrides and revoke
 *   them for its entities (a condition the catalog evaluates with its
 *   ownership rule); reads of other teams' entities follow `openReads`.
 * - `scaffolder.*`: any signed-in user (templates and dry runs).
 * - everything else (catalog, notifications, …): allowed, as before.
 */
export class ConductorPermissionPolicy implements PermissionPolicy {
  constructor(private readonly roles: ConductorRoles) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (permission.name.startsWith('scaffolder.')) {
      return user ? ALLOW : DENY;
    }
    if (!permission.name.startsWith('conductor.')) {
      return ALLOW;
    }
    if (!user) return DENY;

    // The catalog's sign-in puts the user and the groups they are a direct
    // member of here; compared lower-cased as the catalog does.
    const claims = user.info.ownershipEntityRefs.map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
    const inAny = (groups: ReadonlySet<string>) =>
      claims.some(ref => groups.has(ref));

    if (inAny(this.roles.adminGroups)) return ALLOW;

    switch (conductorPermissionKind(permission)) {
      case 'approve':
        return inAny(this.roles.approverGroups) ? ALLOW : DENY;
      case 'read':
        if (this.roles.openReads) return ALLOW;
        return this.ownedEntities(permission, claims);
      case 'revoke':
        if (inAny(this.roles.approverGroups)) return ALLOW;
        return this.ownedEntities(permission, claims);
      case 'request':
        if (isResourcePermission(permission, 'catalog-entity')) {
          return this.ownedEntities(permission, claims);
        }
        // A request with no entity to check ownership against: any member
        // of a team may ask; the ask is inert until an approver approves.
        return claims.some(ref => ref.startsWith('group:')) ? ALLOW : DENY;
      default:
        return DENY;
    }
  }

  /** Allowed for the entities the user or one of their groups owns. */
  private ownedEntities(
    permission: Permission,
    claims: string[],
  ): PolicyDecision {
    if (!isResourcePermission(permission, 'catalog-entity')) return DENY;
    return createCatalogConditionalDecision(
      permission,
      catalogConditions.isEntityOwner({ claims }),
    );
  }
}
