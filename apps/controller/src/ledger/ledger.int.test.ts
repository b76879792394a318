import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { ledgerContract } from '../../test/ledger-contract.js';
import { openLedger } from './ledger.js';

// A fresh database per test on the PostgreSQL server of the test environment (DATABASE_URL).
describe('ledger on PostgreSQL', () => {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is not set: run the integration tier (vitest --project integration)');
  const admin = new pg.Client({ connectionString: serverUrl });
  const created: string[] = [];
  beforeAll(() => admin.connect());
  afterAll(async () => {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  ledgerContract(async (now) => {
    const name = `ledger_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    created.push(name);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return openLedger({ databaseUrl: url.toString() }, now);
  });
});
