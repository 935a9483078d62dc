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
