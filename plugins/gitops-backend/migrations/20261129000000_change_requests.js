// @ts-check

/**
 * Change requests that golden paths opened in the GitOps repository, and
 * the layout folders each one touches (for the entity card's lookups).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_change_requests', table => {
    table.comment('Change requests the portal published, and their state');
    table.string('id', 36).primary().notNullable();
    table.string('template').notNullable().comment('Template entity ref');
    table.string('requester').notNullable().index().comment('User entity ref');
    table.string('team').notNullable().index().comment('Group entity ref');
    table.text('title').notNullable();
    table.string('provider', 16).notNullable().comment('git, github or gitlab');
    table.string('branch').notNullable().index();
    table.text('forge_url').notNullable();
    table.integer('number').nullable().comment('Pull or merge request number');
    table.text('paths').notNullable().comment('JSON array of repository paths');
    table.string('base_commit', 64).notNullable();
    table.string('head_commit', 64).notNullable().comment('Head as last seen');
    table
      .string('state', 16)
      .notNullable()
      .index()
      .comment('open, merged or closed');
    table.string('checks', 16).nullable();
    table
      .string('task_id')
      .nullable()
      .comment('Scaffolder task that published it');
    table
      .string('deploy_status', 16)
      .nullable()
      .comment(
        'Last Argo CD outcome notified after the merge: healthy or degraded',
      );
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('closed_at', { useTz: true }).nullable();
  });
  await knex.schema.createTable('gitops_change_request_folders', table => {
    table.comment('The layout folders a change request touches');
    table
      .string('change_request_id', 36)
      .notNullable()
      .references('id')
      .inTable('gitops_change_requests')
      .onDelete('CASCADE');
    table.string('folder').notNullable().index();
    table.primary(['change_request_id', 'folder']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_change_request_folders');
  await knex.schema.dropTable('gitops_change_requests');
};
