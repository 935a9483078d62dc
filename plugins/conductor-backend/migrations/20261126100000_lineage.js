// @ts-check

/**
 * Contract lineage: the graph's edges (each asserted by a source: the
 * catalog, a repository's lineage manifest, a CI push of operations, an
 * imported snapshot), node details, every change to the graph as an event,
 * and the operations clients send to each API.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('conductor_lineage_edges', table => {
    table.comment(
      'Lineage edges in the seed record shape, by the source that asserts them',
    );
    table.string('source', 255).notNullable();
    table.string('from_id', 512).notNullable();
    table.string('to_id', 512).notNullable();
    table.string('type', 32).notNullable();
    table.primary(['source', 'from_id', 'to_id', 'type']);
    table.index(['from_id'], 'conductor_lineage_edges_from_idx');
    table.index(['to_id'], 'conductor_lineage_edges_to_idx');
  });
  await knex.schema.createTable('conductor_lineage_nodes', table => {
    table.comment('Details of lineage nodes (kind, label, file, version...)');
    table.string('id', 512).primary();
    table.string('kind', 32).notNullable();
    table.string('label', 512).notNullable();
    table.text('attributes_json').notNullable();
    table.string('source', 255).notNullable();
  });
  await knex.schema.createTable('conductor_lineage_events', table => {
    table.comment('Every edge added to or removed from the lineage graph');
    table.bigIncrements('id').primary();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('change', 16).notNullable();
    table.string('source', 255).notNullable();
    table.string('from_id', 512).notNullable();
    table.string('to_id', 512).notNullable();
    table.string('type', 32).notNullable();
    table.index(['at'], 'conductor_lineage_events_at_idx');
  });
  await knex.schema.createTable('conductor_lineage_operations', table => {
    table.comment('Operation documents each client sends to each API');
    table.string('api_ref', 255).notNullable();
    table.string('client', 255).notNullable();
    table.string('file', 512).notNullable();
    table.text('text').notNullable();
    table.string('service', 255).nullable();
    table.text('tenants_json').notNullable();
    table.string('source', 255).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['api_ref', 'client', 'file']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_lineage_operations');
  await knex.schema.dropTable('conductor_lineage_events');
  await knex.schema.dropTable('conductor_lineage_nodes');
  await knex.schema.dropTable('conductor_lineage_edges');
};
