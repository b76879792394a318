import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { ledgerMigrationProvider, type LedgerDialect } from './ledger-migrations.js';
import type { Decision, DecisionRecord, PlanRun, PlanRunOverview, PlanRunRecord } from './ledger-records.js';
import type { Selectable } from 'kysely';
import type { LedgerDatabase, PlanRunsTable } from './ledger-tables.js';

export interface LedgerLocation {
  /** A PostgreSQL connection string; wins over `sqlitePath` (e.g. from `DATABASE_URL`). */
  readonly databaseUrl?: string;
  /** SQLite file; `:memory:` for a throw-away ledger. Defaults to {@link defaultLedgerPath}. */
  readonly sqlitePath?: string;
}

/** `$XDG_STATE_HOME/karpenter-ts/ledger.sqlite`, or `~/.local/state/karpenter-ts/ledger.sqlite`. */
export function defaultLedgerPath(env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(stateHome, 'karpenter-ts', 'ledger.sqlite');
}

/** Where a location points, for messages (the password of a URL is hidden). */
export function describeLedgerLocation(location: LedgerLocation): string {
  if (location.databaseUrl) {
    const url = new URL(location.databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  }
  return location.sqlitePath ?? defaultLedgerPath();
}

/**
 * The record of plans and decisions: what was planned or done, why, and at what price.
 * Open it with {@link openLedger}; the schema is migrated on open.
 *
 * @example
 * const ledger = await openLedger({ databaseUrl: process.env.DATABASE_URL });
 * await ledger.recordDecision({ action: 'launch', reason: 'Provisioning', nodePool: 'default', nodeClaim: 'default-x7k2p', priceAfter: 0.096 });
 * await ledger.close();
 */
export class Ledger {
  constructor(
    private readonly db: Kysely<LedgerDatabase>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records a plan run with its NodeClaims and unschedulable pods in one transaction; returns its id. */
  async recordPlan(run: PlanRunRecord): Promise<number> {
    const { summary } = run;
    return this.db.transaction().execute(async (tx) => {
      const { id } = await tx
        .insertInto('plan_runs')
        .values({
          created_at: this.now().toISOString(),
          source: run.source,
          region: run.region,
          input_digest: run.inputDigest,
          pod_count: run.podCount,
          node_claim_count: summary.nodeClaims.length,
          unschedulable_count: summary.unschedulable.length,
          total_price_per_hour: summary.totalPricePerHour,
          lower_bound_price_per_hour: summary.lowerBoundPricePerHour,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (summary.nodeClaims.length > 0) {
        await tx
          .insertInto('planned_node_claims')
          .values(
            summary.nodeClaims.map((claim, ordinal) => ({
              run_id: id,
              ordinal,
              node_pool: claim.nodePool,
              instance_types: JSON.stringify(claim.instanceTypes),
              capacity_type: claim.capacityType,
              zones: JSON.stringify(claim.zones),
              pods: JSON.stringify(claim.pods),
              cpu_request: claim.requests.cpu,
              memory_request: claim.requests.memory,
              price_per_hour: claim.pricePerHour,
            })),
          )
          .execute();
      }
      if (summary.unschedulable.length > 0) {
        await tx
          .insertInto('unschedulable_pods')
          .values(summary.unschedulable.map((u, ordinal) => ({ run_id: id, ordinal, pod: u.pod, reasons: JSON.stringify(u.reasons) })))
          .execute();
      }
      return id;
    });
  }

  /** The most recent runs, newest first. */
  async listRuns(limit = 20): Promise<PlanRunOverview[]> {
    const rows = await this.db.selectFrom('plan_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toOverview);
  }

  /** One run with everything recorded for it, or undefined. */
  async getRun(id: number): Promise<PlanRun | undefined> {
    const run = await this.db.selectFrom('plan_runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!run) return undefined;
    const [claims, unschedulable] = await Promise.all([
      this.db.selectFrom('planned_node_claims').selectAll().where('run_id', '=', id).orderBy('ordinal').execute(),
      this.db.selectFrom('unschedulable_pods').selectAll().where('run_id', '=', id).orderBy('ordinal').execute(),
    ]);
    return {
      id: run.id,
      createdAt: run.created_at,
      source: run.source as PlanRun['source'],
      region: run.region,
      inputDigest: run.input_digest,
      podCount: run.pod_count,
      summary: {
        nodeClaims: claims.map((c) => ({
          nodePool: c.node_pool,
          instanceTypes: JSON.parse(c.instance_types) as string[],
          capacityType: c.capacity_type,
          zones: JSON.parse(c.zones) as string[],
          pods: JSON.parse(c.pods) as string[],
          requests: { cpu: c.cpu_request, memory: c.memory_request },
          pricePerHour: c.price_per_hour,
        })),
        unschedulable: unschedulable.map((u) => ({ pod: u.pod, reasons: JSON.parse(u.reasons) as Record<string, string> })),
        totalPricePerHour: run.total_price_per_hour,
        lowerBoundPricePerHour: run.lower_bound_price_per_hour,
      },
    };
  }

  /** Records a controller decision; returns its id. */
  async recordDecision(decision: DecisionRecord): Promise<number> {
    const { id } = await this.db
      .insertInto('decisions')
      .values({
        created_at: this.now().toISOString(),
        run_id: decision.runId ?? null,
        action: decision.action,
        reason: decision.reason,
        node_pool: decision.nodePool ?? null,
        node_claim: decision.nodeClaim ?? null,
        instance_type: decision.instanceType ?? null,
        capacity_type: decision.capacityType ?? null,
        zone: decision.zone ?? null,
        price_before: decision.priceBefore ?? null,
        price_after: decision.priceAfter ?? null,
        detail: decision.detail ? JSON.stringify(decision.detail) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** Recent decisions, newest first, optionally for one NodeClaim. */
  async listDecisions(options: { limit?: number; nodeClaim?: string } = {}): Promise<Decision[]> {
    let query = this.db.selectFrom('decisions').selectAll().orderBy('id', 'desc').limit(options.limit ?? 50);
    if (options.nodeClaim) query = query.where('node_claim', '=', options.nodeClaim);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      action: r.action,
      reason: r.reason,
      ...(r.run_id !== null && { runId: r.run_id }),
      ...(r.node_pool !== null && { nodePool: r.node_pool }),
      ...(r.node_claim !== null && { nodeClaim: r.node_claim }),
      ...(r.instance_type !== null && { instanceType: r.instance_type }),
      ...(r.capacity_type !== null && { capacityType: r.capacity_type }),
      ...(r.zone !== null && { zone: r.zone }),
      ...(r.price_before !== null && { priceBefore: r.price_before }),
      ...(r.price_after !== null && { priceAfter: r.price_after }),
      ...(r.detail !== null && { detail: JSON.parse(r.detail) as Record<string, unknown> }),
    }));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/**
 * Opens (and migrates) the ledger: PostgreSQL when `databaseUrl` is given, else a SQLite file
 * (its directory is created).
 */
export async function openLedger(location: LedgerLocation = {}, now?: () => Date): Promise<Ledger> {
  const { dialect, kind } = await connect(location);
  const db = new Kysely<LedgerDatabase>({ dialect });
  const migrator = new Migrator({
    db,
    provider: ledgerMigrationProvider(kind),
    migrationTableName: 'ledger_migration',
    migrationLockTableName: 'ledger_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`ledger ${describeLedgerLocation(location)}: schema migration failed: ${message}`);
  }
  return new Ledger(db, now);
}

async function connect(location: LedgerLocation): Promise<{ dialect: Dialect; kind: LedgerDialect }> {
  if (location.databaseUrl) {
    const { default: pg } = await import('pg');
    return { dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location.databaseUrl, max: 4 }) }), kind: 'postgres' };
  }
  const path = location.sqlitePath ?? defaultLedgerPath();
  const { default: SqliteDatabase } = await import('better-sqlite3');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  return { dialect: new SqliteDialect({ database }), kind: 'sqlite' };
}

function toOverview(row: Selectable<PlanRunsTable>): PlanRunOverview {
  return {
    id: row.id,
    createdAt: row.created_at,
    source: row.source,
    region: row.region,
    inputDigest: row.input_digest,
    podCount: row.pod_count,
    nodeClaimCount: row.node_claim_count,
    unschedulableCount: row.unschedulable_count,
    totalPricePerHour: row.total_price_per_hour,
    lowerBoundPricePerHour: row.lower_bound_price_per_hour,
  };
}
