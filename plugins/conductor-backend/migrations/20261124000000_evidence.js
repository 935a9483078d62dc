// @ts-check

/**
 * Evidence: every observation of a fact about a catalog entity (history), and
 * the latest value of each fact per entity, kept in its own table so that the
 * portal, the controls engine and the promotion gate read it with one lookup.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('conductor_evidence', table => {
    table.comment('Every observation of a fact about a catalog entity');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('value_type', 32).notNullable();
    table.text('value_json').notNullable();
    table.string('source', 255).notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.index(
      ['entity_ref', 'name', 'observed_at'],
      'conductor_evidence_history_idx',
    );
  });
  await knex.schema.createTable('conductor_evidence_latest', table => {
    table.comment('The latest observation of each fact per entity');
    table.string('entity_ref', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('value_type', 32).notNullable();
    table.text('value_json').notNullable();
    table.string('source', 255).notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'name']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_evidence_latest');
  await knex.schema.dropTable('conductor_evidence');
};
