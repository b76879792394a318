import type { Kysely, Migration, MigrationProvider } from 'kysely';

export type LedgerDialect = 'sqlite' | 'postgres';

/**
 * The ledger schema, one migration per change, applied in name order by kysely's Migrator.
 * Never edit a released migration: add a new one.
 */
export function ledgerMigrations(dialect: LedgerDialect): Record<string, Migration> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const price = 'double precision';
  return {
    '2026-12-01-0001-plan-runs-and-decisions': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('plan_runs')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('input_digest', 'text', (c) => c.notNull())
          .addColumn('pod_count', 'integer', (c) => c.notNull())
          .addColumn('node_claim_count', 'integer', (c) => c.notNull())
          .addColumn('unschedulable_count', 'integer', (c) => c.notNull())
          .addColumn('total_price_per_hour', price, (c) => c.notNull())
          .addColumn('lower_bound_price_per_hour', price, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('plan_runs_created_at').on('plan_runs').column('created_at').execute();
        await db.schema
          .createTable('planned_node_claims')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('run_id', 'integer', (c) => c.notNull().references('plan_runs.id').onDelete('cascade'))
          .addColumn('ordinal', 'integer', (c) => c.notNull())
          .addColumn('node_pool', 'text', (c) => c.notNull())
          .addColumn('instance_types', 'text', (c) => c.notNull())
          .addColumn('capacity_type', 'text', (c) => c.notNull())
          .addColumn('zones', 'text', (c) => c.notNull())
          .addColumn('pods', 'text', (c) => c.notNull())
          .addColumn('cpu_request', 'text', (c) => c.notNull())
          .addColumn('memory_request', 'text', (c) => c.notNull())
          .addColumn('price_per_hour', price, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('planned_node_claims_run').on('planned_node_claims').columns(['run_id', 'ordinal']).execute();
        await db.schema
          .createTable('unschedulable_pods')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('run_id', 'integer', (c) => c.notNull().references('plan_runs.id').onDelete('cascade'))
          .addColumn('ordinal', 'integer', (c) => c.notNull())
          .addColumn('pod', 'text', (c) => c.notNull())
          .addColumn('reasons', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('unschedulable_pods_run').on('unschedulable_pods').columns(['run_id', 'ordinal']).execute();
        await db.schema
          .createTable('decisions')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('run_id', 'integer', (c) => c.references('plan_runs.id').onDelete('set null'))
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('node_pool', 'text')
          .addColumn('node_claim', 'text')
          .addColumn('instance_type', 'text')
          .addColumn('capacity_type', 'text')
          .addColumn('zone', 'text')
          .addColumn('price_before', price)
          .addColumn('price_after', price)
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('decisions_created_at').on('decisions').column('created_at').execute();
        await db.schema.createIndex('decisions_node_claim').on('decisions').column('node_claim').execute();
      },
      async down(db: Kysely<unknown>) {
        for (const table of ['decisions', 'unschedulable_pods', 'planned_node_claims', 'plan_runs']) {
          await db.schema.dropTable(table).execute();
        }
      },
    },
  };
}

export function ledgerMigrationProvider(dialect: LedgerDialect): MigrationProvider {
  return { getMigrations: async () => ledgerMigrations(dialect) };
}
