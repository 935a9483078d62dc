/*
 * Two-person rule for exemptions and break-glass overrides: each is first
 * requested and becomes active only when someone else approves it; both can
 * be revoked. Rows written before this migration were created already
 * approved (status null reads as active). Every step of either is audited in
 * conductor_audit.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('conductor_compliance_exemptions', table => {
    table.string('status', 16).nullable();
    table.string('approved_by', 255).nullable();
    table.timestamp('approved_at', { useTz: true }).nullable();
    table.string('revoked_by', 255).nullable();
  });
  await knex.schema.alterTable('conductor_promotion_overrides', table => {
    table.string('status', 16).nullable();
    table.string('approved_by', 255).nullable();
    table.timestamp('approved_at', { useTz: true }).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.string('revoked_by', 255).nullable();
  });
  await knex.schema.createTable('conductor_audit', table => {
    table.comment(
      'Every step of an exemption or override: requested, approved, revoked',
    );
    table.bigIncrements('id').primary();
    table.string('subject_type', 32).notNullable();
    table.bigInteger('subject_id').notNullable();
    table.string('action', 32).notNullable();
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('detail_json').notNullable();
    table.index(['subject_type', 'subject_id'], 'conductor_audit_subject_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_audit');
  await knex.schema.alterTable('conductor_promotion_overrides', table => {
    table.dropColumn('status');
    table.dropColumn('approved_by');
    table.dropColumn('approved_at');
    table.dropColumn('revoked_at');
    table.dropColumn('revoked_by');
  });
  await knex.schema.alterTable('conductor_compliance_exemptions', table => {
    table.dropColumn('status');
    table.dropColumn('approved_by');
    table.dropColumn('approved_at');
    table.dropColumn('revoked_by');
  });
};
