import type { Generated } from 'kysely';

// Row shapes of the ledger tables. JSON columns are text and timestamps ISO 8601 text, so
// SQLite and PostgreSQL store and return the same values.

export interface PlanRunsTable {
  id: Generated<number>;
  created_at: string;
  source: string;
  region: string;
  input_digest: string;
  pod_count: number;
  node_claim_count: number;
  unschedulable_count: number;
  total_price_per_hour: number;
  lower_bound_price_per_hour: number;
}

export interface PlannedNodeClaimsTable {
  id: Generated<number>;
  run_id: number;
  ordinal: number;
  node_pool: string;
  instance_types: string;
  capacity_type: string;
  zones: string;
  pods: string;
  cpu_request: string;
  memory_request: string;
  price_per_hour: number;
}

export interface UnschedulablePodsTable {
  id: Generated<number>;
  run_id: number;
  ordinal: number;
  pod: string;
  reasons: string;
}

export interface DecisionsTable {
  id: Generated<number>;
  created_at: string;
  run_id: number | null;
  action: string;
  reason: string;
  node_pool: string | null;
  node_claim: string | null;
  instance_type: string | null;
  capacity_type: string | null;
  zone: string | null;
  price_before: number | null;
  price_after: number | null;
  detail: string | null;
}

export interface LedgerDatabase {
  plan_runs: PlanRunsTable;
  planned_node_claims: PlannedNodeClaimsTable;
  unschedulable_pods: UnschedulablePodsTable;
  decisions: DecisionsTable;
}
