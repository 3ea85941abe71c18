// @ts-check

/**
 * The ownership refs each user's last Keycloak sign-in issued, so other
 * replicas can tell the permission explain endpoint what the user's token
 * says. One row per user; no tokens, only entity refs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('keycloak_sign_ins', table => {
    table.comment(
      'Ownership refs issued at the last Keycloak sign-in of each user',
    );
    table
      .string('user_entity_ref')
      .primary()
      .notNullable()
      .comment(
        'The signed-in user, lowercased: entity refs compare case-insensitively',
      );
    table
      .text('ownership_entity_refs')
      .notNullable()
      .comment('JSON array of the ownership entity refs in the issued token');
    table
      .timestamp('signed_in_at', { useTz: true })
      .notNullable()
      .comment('When the token was issued');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('keycloak_sign_ins');
};
