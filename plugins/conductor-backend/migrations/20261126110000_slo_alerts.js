// @ts-check

/**
 * SLO burn alerts: the state of each alert (one SLO, one severity) as the
 * scheduler last saw it, so that a firing alert is sent once and its
 * resolution once, across restarts and replicas.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('conductor_slo_alerts', table => {
    table.comment('Burn-rate alert state per SLO and severity');
    table.string('alert_key', 512).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('slo_id', 255).notNullable();
    table.string('severity', 16).notNullable();
    table.boolean('firing').notNullable();
    table.timestamp('since', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['entity_ref'], 'conductor_slo_alerts_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_slo_alerts');
};
