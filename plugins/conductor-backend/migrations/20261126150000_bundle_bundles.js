// @ts-check

/**
 * Evidence bundles: each signed archive as it was downloaded, with what it
 * covers, so a bundle can be listed and downloaded again byte for byte.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('conductor_bundles', table => {
    table.comment('Signed evidence bundles (in-toto statement in DSSE)');
    table.increments('id').primary();
    table.text('scope_json').notNullable();
    table.text('entity_refs_json').notNullable();
    table.timestamp('since', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('created_by', 512).notNullable();
    table.string('key_id', 64).notNullable();
    table.integer('file_count').notNullable();
    table.integer('size_bytes').notNullable();
    table.string('archive_sha256', 64).notNullable();
    table.text('archive', 'longtext').notNullable();
    table.index(['created_at'], 'conductor_bundles_created_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_bundles');
};
