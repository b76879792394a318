import type { LedgerLocation } from '../ledger/index.js';

/** `--db PATH` wins; else PostgreSQL from `DATABASE_URL`; else the default SQLite file. */
export function ledgerLocation(db: string | undefined, env: NodeJS.ProcessEnv): LedgerLocation {
  if (db) return { sqlitePath: db };
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL };
  return {};
}
