import { Knex } from 'knex';

/** One step of an exemption's or override's life, for the audit trail. */
export interface AuditStep {
  subjectType: 'exemption' | 'override';
  subjectId: number;
  action: 'request' | 'approve' | 'revoke';
  actor: string;
  at: Date;
  detail?: object;
}

/** Writes an audit step in the caller's transaction. */
export async function writeAudit(db: Knex, step: AuditStep): Promise<void> {
  await db('conductor_audit').insert({
    subject_type: step.subjectType,
    subject_id: step.subjectId,
    action: step.action,
    actor: step.actor,
    at: step.at,
    detail_json: JSON.stringify(step.detail ?? {}),
  });
}

/** The audit trail of one subject, oldest first. */
export async function readAudit(
  db: Knex,
  subjectType: AuditStep['subjectType'],
  subjectId: number,
): Promise<Array<{ action: string; actor: string; at: Date }>> {
  const rows: Array<{ action: string; actor: string; at: unknown }> = await db(
    'conductor_audit',
  )
    .where({ subject_type: subjectType, subject_id: subjectId })
    .orderBy('id');
  return rows.map(r => ({
    action: r.action,
    actor: r.actor,
    at: new Date(r.at as string),
  }));
}

/** The tables of things a person asks for and another approves. */
const APPROVAL_TABLES = {
  exemption: 'conductor_compliance_exemptions',
  override: 'conductor_promotion_overrides',
} as const;

/**
 * Activates a requested exemption or override and audits it, in one
 * transaction; false when it is not (or no longer) waiting for approval.
 * `extra` columns are set with it (an override's expiry counts from now).
 */
export async function approveRequested(
  db: Knex,
  subjectType: AuditStep['subjectType'],
  id: number,
  approver: string,
  at: Date,
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  return db.transaction(async tx => {
    const n = await tx(APPROVAL_TABLES[subjectType])
      .where({ id, status: 'requested' })
      .whereNull('revoked_at')
      .update({
        status: 'active',
        approver,
        approved_by: approver,
        approved_at: at,
        ...extra,
      });
    if (n) {
      await writeAudit(tx, {
        subjectType,
        subjectId: id,
        action: 'approve',
        actor: approver,
        at,
      });
    }
    return n > 0;
  });
}

/** Revokes an exemption or override and audits it; false when already revoked. */
export async function revokeApproval(
  db: Knex,
  subjectType: AuditStep['subjectType'],
  id: number,
  actor: string,
  at: Date,
): Promise<boolean> {
  return db.transaction(async tx => {
    const n = await tx(APPROVAL_TABLES[subjectType])
      .where('id', id)
      .whereNull('revoked_at')
      .update({ revoked_at: at, revoked_by: actor, status: 'revoked' });
    if (n) {
      await writeAudit(tx, {
        subjectType,
        subjectId: id,
        action: 'revoke',
        actor,
        at,
      });
    }
    return n > 0;
  });
}
