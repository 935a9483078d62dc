import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';

/** Who holds which role, read from `conductor.permissions`. */
export interface ConductorRoles {
  /** Group refs whose members may do everything in Maestro Conductor. */
  adminGroups: ReadonlySet<string>;
  /** Group refs whose members may approve exemptions and overrides. */
  approverGroups: ReadonlySet<string>;
  /** Whether every signed-in user may read every entity's evidence. */
  openReads: boolean;
}

const MAX_GROUPS = 100;

/**
 * Reads `conductor.permissions`. Group refs may be short (`conductor-admins`)
 * or full (`group:default/conductor-admins`); they are compared as full,
 * lower-cased refs, the form sign-in puts in a user's ownership refs.
 * A missing key means nobody holds that role: the policy fails closed.
 */
export function readConductorRoles(config: Config): ConductorRoles {
  const section = config.getOptionalConfig('conductor.permissions');
  return {
    adminGroups: readGroups(section, 'adminGroups'),
    approverGroups: readGroups(section, 'approverGroups'),
    openReads: section?.getOptionalBoolean('openReads') ?? true,
  };
}

function readGroups(section: Config | undefined, key: string): Set<string> {
  const where = `conductor.permissions.${key}`;
  const refs = section?.getOptionalStringArray(key) ?? [];
  if (refs.length > MAX_GROUPS) {
    throw new Error(
      `${where}: at most ${MAX_GROUPS} groups, got ${refs.length}`,
    );
  }
  return new Set(
    refs.map((ref, i) => normaliseGroupRef(ref, `${where}[${i}]`)),
  );
}

/** Full, lower-cased group ref, or an error naming the config key. */
export function normaliseGroupRef(ref: string, where: string): string {
  let parsed;
  try {
    parsed = parseEntityRef(ref.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new Error(`${where}: '${ref}' is not an entity ref (${error})`);
  }
  if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new Error(
      `${where}: '${ref}' must name a Group, not a ${parsed.kind}`,
    );
  }
  return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
}
