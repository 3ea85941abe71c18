import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const TABLE = 'keycloak_sign_ins';
/**
 * The auth backend keeps its own migrations in `knex_migrations` of the same
 * database, so this module's migrations are tracked in a table of their own.
 */
const MIGRATIONS_TABLE = 'keycloak_sign_ins_knex_migrations';
const migrationsDir = resolvePackagePath(
  '@internal/auth-backend-module-keycloak-provider',
  'migrations',
);

/** What one user's last Keycloak sign-in issued. */
export interface SignInRecord {
  ownershipEntityRefs: string[];
  signedInAt: Date;
}

/** Entity refs compare case-insensitively. */
function keyOf(userEntityRef: string): string {
  return userEntityRef.toLocaleLowerCase('en-US');
}

/**
 * The ownership refs issued at each user's last Keycloak sign-in, in the
 * auth plugin's database, so whichever replica answers the permission
 * plugin knows what the user's token says.
 */
export class SignInRecords {
  static async create(database: DatabaseService): Promise<SignInRecords> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: migrationsDir,
        tableName: MIGRATIONS_TABLE,
      });
    }
    return new SignInRecords(knex);
  }

  private constructor(private readonly knex: Knex) {}

  /** Keeps what a sign-in issued, replacing the user's earlier record. */
  async record(
    userEntityRef: string,
    ownershipEntityRefs: string[],
    signedInAt = new Date(),
  ): Promise<void> {
    await this.knex(TABLE)
      .insert({
        user_entity_ref: keyOf(userEntityRef),
        ownership_entity_refs: JSON.stringify(ownershipEntityRefs),
        signed_in_at: signedInAt,
      })
      .onConflict('user_entity_ref')
      .merge();
  }

  /** The user's last sign-in, or undefined if they never signed in. */
  async get(userEntityRef: string): Promise<SignInRecord | undefined> {
    const row = await this.knex(TABLE)
      .where({ user_entity_ref: keyOf(userEntityRef) })
      .first();
    if (!row) {
      return undefined;
    }
    return {
      ownershipEntityRefs: JSON.parse(row.ownership_entity_refs),
      // PostgreSQL returns a Date, SQLite the stored milliseconds.
      signedInAt: new Date(row.signed_in_at),
    };
  }
}
