import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerContract, samplePlan } from '../../test/ledger-contract.js';
import { defaultLedgerPath, describeLedgerLocation, openLedger } from './ledger.js';

describe('ledger on SQLite (in memory)', () => {
  ledgerContract((now) => openLedger({ sqlitePath: ':memory:' }, now));
});

describe('ledger on a SQLite file', () => {
  it('creates the directory, migrates once and keeps runs across opens', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'state', 'ledger.sqlite');
    const first = await openLedger({ sqlitePath: path });
    const id = await first.recordPlan(samplePlan);
    await first.close();
    expect(existsSync(path)).toBe(true);
    const second = await openLedger({ sqlitePath: path });
    expect((await second.getRun(id))?.summary).toEqual(samplePlan.summary);
    await second.close();
  });
});

describe('ledger location', () => {
  it('defaults under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultLedgerPath({ XDG_STATE_HOME: '/var/state' })).toBe('/var/state/karpenter-ts/ledger.sqlite');
    expect(defaultLedgerPath({})).toMatch(/\.local\/state\/karpenter-ts\/ledger\.sqlite$/);
  });
  it('hides a PostgreSQL password', () => {
    expect(describeLedgerLocation({ databaseUrl: 'postgres://u:secret@db:5432/ledger' })).toBe('postgres://u:***@db:5432/ledger');
  });
});
