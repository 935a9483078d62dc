import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { normalizeEntityRef } from '@internal/plugin-conductor-common';
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
