// @ts-check

/**
 * Backfill runner: definitions (from files or registered by CI), runs with
 * their keyset cursor, lease and optimistic-locking version, and per run the
 * committed batches, pauses and checkpoint results. Times are epoch
 * milliseconds so that lease expiry compares the same on every database.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('conductor_backfill_definitions', table => {
    table.comment('Backfill definitions registered through the API');
    table.string('id', 64).primary();
    table.string('owner', 255).notNullable();
    table.text('yaml').notNullable();
    table.string('hash', 64).notNullable();
    table.string('registered_by', 255).notNullable();
    table.bigInteger('registered_at').notNullable();
  });
  await knex.schema.createTable('conductor_backfill_runs', table => {
    table.comment('One run of a backfill definition');
    table.bigIncrements('id').primary();
    table.string('definition_id', 64).notNullable();
    table.string('owner', 255).notNullable();
    table.text('definition_json').notNullable();
    table.string('definition_hash', 64).notNullable();
    table.string('state', 16).notNullable();
    table.text('reason').nullable();
    table.integer('version').notNullable().defaultTo(1);
    table.text('cursor_json').nullable();
    table.text('first_key_json').nullable();
    table.bigInteger('rows_done').notNullable().defaultTo(0);
    table.bigInteger('rows_changed').notNullable().defaultTo(0);
    table.bigInteger('total_rows').nullable();
    table.bigInteger('db_ms').notNullable().defaultTo(0);
    table.integer('batch_size').notNullable();
    table.integer('min_batch_size').notNullable();
    table.integer('max_batch_size').notNullable();
    table.integer('rps').notNullable();
    table.text('efficiencies_json').notNullable().defaultTo('[]');
    table.string('lease_owner', 255).nullable();
    table.bigInteger('lease_expires_at').nullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('started_at').nullable();
    table.bigInteger('finished_at').nullable();
    table.bigInteger('updated_at').notNullable();
    table.index(['state'], 'conductor_backfill_runs_state_idx');
    table.index(['definition_id'], 'conductor_backfill_runs_definition_idx');
    table.index(['owner'], 'conductor_backfill_runs_owner_idx');
  });
  await knex.schema.createTable('conductor_backfill_batches', table => {
    table.comment('A committed batch of a run (the cursor moved past it)');
    table.bigIncrements('id').primary();
    table
      .bigInteger('run_id')
      .notNullable()
      .references('id')
      .inTable('conductor_backfill_runs')
      .onDelete('CASCADE');
    table.text('from_key_json').notNullable();
    table.text('to_key_json').notNullable();
    table.integer('rows').notNullable();
    table.integer('changed').notNullable();
    table.integer('batch_size').notNullable();
    table.integer('duration_ms').notNullable();
    table.string('runner', 255).notNullable();
    table.bigInteger('at').notNullable();
    table.index(['run_id', 'id'], 'conductor_backfill_batches_run_idx');
  });
  await knex.schema.createTable('conductor_backfill_pauses', table => {
    table.comment('A pause or throttle of a run, with why');
    table.bigIncrements('id').primary();
    table
      .bigInteger('run_id')
      .notNullable()
      .references('id')
      .inTable('conductor_backfill_runs')
      .onDelete('CASCADE');
    table.string('kind', 16).notNullable();
    table.text('reason').notNullable();
    table.string('by', 255).nullable();
    table.bigInteger('at').notNullable();
    table.bigInteger('resumed_at').nullable();
    table.index(['run_id'], 'conductor_backfill_pauses_run_idx');
  });
  await knex.schema.createTable('conductor_backfill_checkpoints', table => {
    table.comment('A checkpoint (canary gate) of a run and its verify result');
    table.bigIncrements('id').primary();
    table
      .bigInteger('run_id')
      .notNullable()
      .references('id')
      .inTable('conductor_backfill_runs')
      .onDelete('CASCADE');
    table.double('at').notNullable();
    table.boolean('passed').notNullable();
    table.bigInteger('wrong_rows').nullable();
    table.bigInteger('rows_done').notNullable();
    table.text('message').notNullable();
    table.bigInteger('checked_at').notNullable();
    table.index(['run_id'], 'conductor_backfill_checkpoints_run_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_backfill_checkpoints');
  await knex.schema.dropTable('conductor_backfill_pauses');
  await knex.schema.dropTable('conductor_backfill_batches');
  await knex.schema.dropTable('conductor_backfill_runs');
  await knex.schema.dropTable('conductor_backfill_definitions');
};
