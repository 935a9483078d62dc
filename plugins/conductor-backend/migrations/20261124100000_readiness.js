// @ts-check

/**
 * Production readiness: every computed score, every promotion gate decision,
 * and the break-glass overrides of the gate.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('conductor_readiness_scores', table => {
    table.comment('Every computed production readiness score');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.float('score').notNullable();
    table.text('components_json').notNullable();
    table.timestamp('computed_at', { useTz: true }).notNullable();
    table.index(
      ['entity_ref', 'computed_at'],
      'conductor_readiness_scores_entity_idx',
    );
    table.index(['computed_at'], 'conductor_readiness_scores_time_idx');
  });
  await knex.schema.createTable('conductor_promotion_overrides', table => {
    table.comment('Break-glass overrides of the promotion gate');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 64).notNullable();
    table.text('reason').notNullable();
    table.string('approver', 255).notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.index(
      ['entity_ref', 'environment', 'expires_at'],
      'conductor_promotion_overrides_idx',
    );
  });
  await knex.schema.createTable('conductor_promotion_decisions', table => {
    table.comment(
      'Every answer of the promotion gate: who asked, what was answered',
    );
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 64).notNullable();
    table.string('version', 255).nullable();
    table.boolean('allowed').notNullable();
    table.float('score').nullable();
    table.float('threshold').notNullable();
    table.text('reasons_json').notNullable();
    table.string('requested_by', 255).notNullable();
    table.bigInteger('override_id').nullable();
    table.timestamp('decided_at', { useTz: true }).notNullable();
    table.index(
      ['entity_ref', 'decided_at'],
      'conductor_promotion_decisions_entity_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_promotion_decisions');
  await knex.schema.dropTable('conductor_promotion_overrides');
  await knex.schema.dropTable('conductor_readiness_scores');
};
