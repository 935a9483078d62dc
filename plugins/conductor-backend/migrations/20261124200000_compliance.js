// @ts-check

/**
 * Continuous compliance: runs of the controls, their per-entity results
 * (with the previous status, so flips are one query), scores per entity, team
 * and system, and exemptions with their audit trail.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('conductor_compliance_runs', table => {
    table.comment('One evaluation of every applicable control on every entity');
    table.bigIncrements('id').primary();
    table.string('trigger', 32).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('controls').notNullable();
    table.integer('entities').notNullable();
    table.float('score').nullable();
  });
  await knex.schema.createTable('conductor_compliance_results', table => {
    table.comment('The result of one control on one entity in one run');
    table
      .bigInteger('run_id')
      .notNullable()
      .references('id')
      .inTable('conductor_compliance_runs')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('control_id', 255).notNullable();
    table.string('severity', 16).notNullable();
    table.string('status', 16).notNullable();
    table.string('previous_status', 16).nullable();
    table.timestamp('since', { useTz: true }).notNullable();
    table.text('message').notNullable();
    table.text('values_json').notNullable();
    table.string('remediation', 255).nullable();
    table.primary(['run_id', 'entity_ref', 'control_id']);
  });
  await knex.schema.createTable('conductor_compliance_scores', table => {
    table.comment(
      'Severity-weighted compliance score per entity, team and system per run',
    );
    table
      .bigInteger('run_id')
      .notNullable()
      .references('id')
      .inTable('conductor_compliance_runs')
      .onDelete('CASCADE');
    table.string('scope', 16).notNullable();
    table.string('ref', 255).notNullable();
    table.float('score').notNullable();
    table.float('previous_score').nullable();
    table.primary(['run_id', 'scope', 'ref']);
    table.index(['scope', 'ref'], 'conductor_compliance_scores_ref_idx');
  });
  await knex.schema.createTable('conductor_compliance_exemptions', table => {
    table.comment(
      'An entity exempted from a control, with reason, approver and expiry',
    );
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('control_id', 255).notNullable();
    table.text('reason').notNullable();
    table.string('approver', 255).notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.index(['entity_ref'], 'conductor_compliance_exemptions_entity_idx');
  });
  await knex.schema.createTable('conductor_compliance_audit', table => {
    table.comment('Every change to exemptions: who, when, what');
    table.bigIncrements('id').primary();
    table.string('action', 32).notNullable();
    table.bigInteger('exemption_id').notNullable();
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('detail_json').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_compliance_audit');
  await knex.schema.dropTable('conductor_compliance_exemptions');
  await knex.schema.dropTable('conductor_compliance_scores');
  await knex.schema.dropTable('conductor_compliance_results');
  await knex.schema.dropTable('conductor_compliance_runs');
};
