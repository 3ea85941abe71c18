// @ts-check

/**
 * What the GitOps catalog provider last applied to the catalog, shared by
 * every replica: the commit and a generation counter in one row, and each
 * layout folder's kept state as of the generation that last changed it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_provider_state', table => {
    table.comment(
      'The last commit of the GitOps repository applied to the catalog (one row)',
    );
    table.integer('id').primary().notNullable().comment('Always 1');
    table
      .string('commit', 64)
      .nullable()
      .comment('The commit last applied; null before the first run');
    table
      .integer('generation')
      .notNullable()
      .comment('Counts applied runs; folder rows name the one that wrote them');
    table
      .string('pending_run', 64)
      .nullable()
      .comment(
        'The run applying a mutation now, or one that died doing so: the next run applies a full mutation',
      );
  });
  await knex.schema.createTable('gitops_provider_folders', table => {
    table.comment(
      'The catalog-info.yaml of each layout folder as last applied to the catalog',
    );
    table
      .string('folder', 512)
      .primary()
      .notNullable()
      .comment('The layout folder, e.g. services/team-payments/payments-api');
    table
      .integer('generation')
      .notNullable()
      .index()
      .comment('The generation that wrote this row');
    table
      .text('state')
      .nullable()
      .comment(
        'JSON of the kept state (file, entities, last good commit, error); null once the folder is gone',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_provider_folders');
  await knex.schema.dropTable('gitops_provider_state');
};
