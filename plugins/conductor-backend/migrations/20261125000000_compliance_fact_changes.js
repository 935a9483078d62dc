// @ts-check

/**
 * Evidence diff between compliance runs: the fact values the last run saw
 * (one row per entity and fact), and per run the facts that changed since
 * the run before, so "what changed" is stored, not recomputed from history.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('conductor_compliance_facts_seen', table => {
    table.comment('The value of each fact as the last compliance run saw it');
    table.string('entity_ref', 255).notNullable();
    table.string('name', 255).notNullable();
    table.text('value_json').notNullable();
    table.primary(['entity_ref', 'name']);
  });
  await knex.schema.createTable('conductor_compliance_fact_changes', table => {
    table.comment(
      'A fact whose value changed between a compliance run and the one before',
    );
    table
      .bigInteger('run_id')
      .notNullable()
      .references('id')
      .inTable('conductor_compliance_runs')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('name', 255).notNullable();
    table.text('before_json').nullable();
    table.text('after_json').nullable();
    table.primary(['run_id', 'entity_ref', 'name']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_compliance_fact_changes');
  await knex.schema.dropTable('conductor_compliance_facts_seen');
};
