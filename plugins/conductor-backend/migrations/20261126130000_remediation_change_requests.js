// @ts-check

/**
 * Auto-remediation: the change requests (pull requests) the bot opened, one
 * row per repository and branch and opening, and the log of what happened
 * to them and to each repository in each run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'conductor_remediation_change_requests',
    table => {
      table.comment('A pull request the remediation bot opened');
      table.bigIncrements('id').primary();
      table.string('entity_ref', 255).notNullable();
      table.string('team', 255).nullable();
      table.string('provider', 32).notNullable();
      table.string('repository', 1024).notNullable();
      table.string('branch', 255).notNullable();
      table.string('title', 1024).notNullable();
      table.integer('number').nullable();
      table.string('url', 1024).nullable();
      table.string('state', 16).notNullable();
      table.text('controls_json').notNullable();
      table.string('head_sha', 64).notNullable();
      table.string('base_branch', 255).notNullable();
      table.text('fingerprint').notNullable();
      table.text('body').notNullable();
      table.text('blocked_reason').nullable();
      table.timestamp('opened_at', { useTz: true }).notNullable();
      table.timestamp('updated_at', { useTz: true }).notNullable();
      table.timestamp('merged_at', { useTz: true }).nullable();
      table.timestamp('closed_at', { useTz: true }).nullable();
      table.index(
        ['repository', 'branch'],
        'conductor_remediation_cr_repo_idx',
      );
      table.index(['state'], 'conductor_remediation_cr_state_idx');
    },
  );
  await knex.schema.createTable('conductor_remediation_events', table => {
    table.comment(
      'The auto-PR log: opened, updated, merged, closed, blocked, failed...',
    );
    table.bigIncrements('id').primary();
    table
      .bigInteger('change_request_id')
      .nullable()
      .references('id')
      .inTable('conductor_remediation_change_requests')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('team', 255).nullable();
    table.string('repository', 1024).notNullable();
    table.string('kind', 32).notNullable();
    table.text('controls_json').notNullable();
    table.text('message').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['at'], 'conductor_remediation_events_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('conductor_remediation_events');
  await knex.schema.dropTable('conductor_remediation_change_requests');
};
