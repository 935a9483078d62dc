// @ts-check

/**
 * Federated CI library: the last scan of each repository (which ig-ci
 * version its workflows pin, drift, gates, parse errors) and one row per
 * repository and day for adoption over time.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('conductor_federation_repositories', table => {
    table.comment('Last scan of each repository: its ig-ci pin and drift');
    table.string('entity_ref', 512).primary();
    table.timestamp('scanned_at', { useTz: true }).notNullable();
    table.string('status', 32).notNullable();
    table.string('version', 64).nullable();
    table.integer('versions_behind').nullable();
    table.text('payload_json').notNullable();
  });
  await knex.schema.createTable('conductor_federation_adoption', table => {
    table.comment('The ig-ci version each repository ran on each day');
    table.string('day', 10).notNullable();
    table.string('entity_ref', 512).notNullable();
    table.string('version', 64).notNullable();
    table.primary(['day', 'entity_ref']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_federation_adoption');
  await knex.schema.dropTable('conductor_federation_repositories');
};
