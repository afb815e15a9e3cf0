/**
 * Any fixed number: the key of the Postgres advisory lock every instance takes around migrating
 * (db/migrate.ts). Its own module, free of imports, so the e2e test can hold the lock too.
 */
export const MIGRATION_LOCK_KEY = 726_001;
