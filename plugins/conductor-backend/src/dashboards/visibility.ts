import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionRule,
  PermissionRuleset,
  createConditionAuthorizer,
} from '@backstage/plugin-permission-node';
import { allowedEntities } from '../shared/permissions';

/** Refs sent per authorize request when conditions cannot be applied here. */
const FALLBACK_CHUNK = 250;

const catalogRules = Object.values(permissionRules) as unknown as Array<
  PermissionRule<Entity, unknown, string>
>;

class UnknownRuleError extends Error {}

/** The catalog's own permission rules, applied to the snapshot's entities. */
const catalogRuleset: PermissionRuleset<Entity> = {
  getRuleByName(name: string) {
    const rule = catalogRules.find(r => r.name === name);
    if (!rule) throw new UnknownRuleError(name);
    return rule;
  },
};

const appliesTo = createConditionAuthorizer(catalogRuleset);

/** The entities of `entities` a decision allows; undefined when it cannot tell here. */
function allowedByDecision(
  decision: PolicyDecision,
  entities: Entity[],
): Set<string> | undefined {
  if (decision.result !== AuthorizeResult.CONDITIONAL)
    return decision.result === AuthorizeResult.ALLOW
      ? new Set(entities.map(e => stringifyEntityRef(e)))
      : new Set();
  if (
    decision.pluginId !== 'catalog' ||
    decision.resourceType !== 'catalog-entity'
  )
    return undefined;
  try {
    return new Set(
      entities
        .filter(e => appliesTo(decision, e))
        .map(e => stringifyEntityRef(e)),
    );
  } catch (e) {
    if (e instanceof UnknownRuleError) return undefined;
    throw e;
  }
}

/**
 * The refs of `entities` the caller may read under each permission, asked
 * once per permission, not once per entity: the policy's conditional
 * decision (e.g. "entities your team owns") is applied here with the
 * catalog's own rules, so 10,000 entities cost one authorize call. A
 * condition on a rule the catalog does not ship is asked of the permission
 * service per entity, in chunks.
 */
export async function readableEntities(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  asked: ResourcePermission<'catalog-entity'>[],
  entities: Entity[],
  /** The decisions for `asked`, when the caller has them already. */
  given?: PolicyDecision[],
): Promise<Map<string, Set<string>>> {
  const decisions =
    given ??
    (await permissions.authorizeConditional(
      asked.map(permission => ({ permission })),
      { credentials },
    ));
  const readable = new Map<string, Set<string>>();
  for (const [i, permission] of asked.entries()) {
    let allowed = allowedByDecision(decisions[i], entities);
    if (!allowed) {
      allowed = new Set();
      const refs = entities.map(e => stringifyEntityRef(e));
      for (let at = 0; at < refs.length; at += FALLBACK_CHUNK) {
        const chunk = refs.slice(at, at + FALLBACK_CHUNK);
        for (const ref of await allowedEntities(
          permissions,
          credentials,
          permission,
          chunk,
        ))
          allowed.add(ref);
      }
    }
    readable.set(permission.name, allowed);
  }
  return readable;
}
