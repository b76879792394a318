import { parseDuration } from './duration.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Feature gates the controller knows, with their defaults (as upstream). */
export const defaultFeatureGates = {
  SpotToSpotConsolidation: false,
  NodeRepair: false,
  ReservedCapacity: true,
} as const;
export type FeatureGate = keyof typeof defaultFeatureGates;

/** Everything the controller reads from its environment, validated once at start. */
export interface Settings {
  readonly clusterName: string;
  readonly clusterEndpoint: string | undefined;
  readonly awsRegion: string;
  /** SQS queue name for interruption events; undefined disables interruption handling. */
  readonly interruptionQueue: string | undefined;
  readonly batchIdleDurationMs: number;
  readonly batchMaxDurationMs: number;
  readonly featureGates: Readonly<Record<FeatureGate, boolean>>;
  readonly vmMemoryOverheadPercent: number;
  readonly metricsPort: number;
  readonly healthProbePort: number;
  readonly logLevel: LogLevel;
  /** PostgreSQL connection string for the ledger; undefined means the SQLite file below. */
  readonly databaseUrl: string | undefined;
  /** SQLite ledger file (`LEDGER_PATH`); undefined means the ledger's default location. */
  readonly ledgerPath: string | undefined;
  readonly leaderElection: {
    readonly enabled: boolean;
    readonly namespace: string;
    readonly name: string;
    readonly identity: string;
  };
}

/** All problems found in the environment, one line each, naming the variable and the fix. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid settings (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the settings; throws a SettingsError listing every bad value at once.
 *
 * @example
 * const settings = loadSettings(process.env); // CLUSTER_NAME=dev AWS_REGION=us-west-2 …
 */
export function loadSettings(env: Env, hostname = 'karpenter'): Settings {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const clusterName = read('CLUSTER_NAME');
  if (!clusterName) problems.push('CLUSTER_NAME is required: set it to the name of the EKS cluster, e.g. CLUSTER_NAME=my-cluster');
  else if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(clusterName)) {
    problems.push(`CLUSTER_NAME "${clusterName}" is not a valid EKS cluster name: use 1-100 letters, digits, "-" or "_", starting with a letter or digit`);
  }

  const clusterEndpoint = read('CLUSTER_ENDPOINT');
  if (clusterEndpoint && !/^https:\/\/[^\s/]+/.test(clusterEndpoint)) {
    problems.push(`CLUSTER_ENDPOINT "${clusterEndpoint}" must be the API server's https:// URL, e.g. https://ABC.gr7.us-west-2.eks.amazonaws.com`);
  }

  const awsRegion = read('AWS_REGION') ?? read('AWS_DEFAULT_REGION');
  if (!awsRegion) problems.push('AWS_REGION is required: set it to the cluster\'s region, e.g. AWS_REGION=us-west-2');
  else if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(awsRegion)) problems.push(`AWS_REGION "${awsRegion}" is not a region name such as us-west-2`);

  const interruptionQueue = read('INTERRUPTION_QUEUE');
  if (interruptionQueue && !/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(interruptionQueue)) {
    const hint = interruptionQueue.startsWith('arn:') || interruptionQueue.startsWith('https://')
      ? `give the queue name only, e.g. INTERRUPTION_QUEUE=${interruptionQueue.split(/[:/]/).pop()}`
      : 'use 1-80 letters, digits, "-" or "_"';
    problems.push(`INTERRUPTION_QUEUE "${interruptionQueue}" is not an SQS queue name: ${hint}`);
  }

  const duration = (name: string, fallback: number) => {
    const text = read(name);
    if (text === undefined) return fallback;
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      problems.push(`${name} "${text}" is not a positive duration: use a value such as 500ms, 1s or 10s`);
      return fallback;
    }
    return ms;
  };
  const batchIdleDurationMs = duration('BATCH_IDLE_DURATION', 1000);
  const batchMaxDurationMs = duration('BATCH_MAX_DURATION', 10_000);
  if (batchMaxDurationMs < batchIdleDurationMs) {
    problems.push(`BATCH_MAX_DURATION (${batchMaxDurationMs} ms) is shorter than BATCH_IDLE_DURATION (${batchIdleDurationMs} ms): the maximum batch window must be at least the idle window`);
  }

  const featureGates: Record<FeatureGate, boolean> = { ...defaultFeatureGates };
  for (const entry of (read('FEATURE_GATES') ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = /^([A-Za-z0-9]+)=(true|false)$/.exec(entry);
    if (!match) {
      problems.push(`FEATURE_GATES entry "${entry}" must be Name=true or Name=false, e.g. FEATURE_GATES=SpotToSpotConsolidation=true`);
    } else if (!(match[1] in featureGates)) {
      problems.push(`FEATURE_GATES names unknown gate "${match[1]}": known gates are ${Object.keys(defaultFeatureGates).join(', ')}`);
    } else {
      featureGates[match[1] as FeatureGate] = match[2] === 'true';
    }
  }

  let vmMemoryOverheadPercent = 0.075;
  const overhead = read('VM_MEMORY_OVERHEAD_PERCENT');
  if (overhead !== undefined) {
    const value = Number(overhead);
    if (!Number.isFinite(value) || value < 0 || value >= 1) {
      problems.push(`VM_MEMORY_OVERHEAD_PERCENT "${overhead}" must be a fraction in [0, 1), e.g. 0.075 for 7.5%`);
    } else vmMemoryOverheadPercent = value;
  }

  const port = (name: string, fallback: number) => {
    const text = read(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      problems.push(`${name} "${text}" is not a TCP port: use an integer from 1 to 65535 (0 picks a free one)`);
      return fallback;
    }
    return value;
  };
  const metricsPort = port('METRICS_PORT', 8080);
  const healthProbePort = port('HEALTH_PROBE_PORT', 8081);
  if (metricsPort === healthProbePort && metricsPort !== 0) {
    problems.push(`METRICS_PORT and HEALTH_PROBE_PORT are both ${metricsPort}: give them different ports`);
  }

  const logLevel = (read('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`LOG_LEVEL "${read('LOG_LEVEL')}" must be one of debug, info, warn, error`);
  }

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/karpenter (leave it unset for the SQLite ledger at LEDGER_PATH)');
  }

  const leaderElect = (read('LEADER_ELECT') ?? 'true').toLowerCase();
  if (!['true', 'false'].includes(leaderElect)) problems.push(`LEADER_ELECT "${read('LEADER_ELECT')}" must be true or false`);

  if (problems.length) throw new SettingsError(problems);
  return {
    clusterName: clusterName!,
    clusterEndpoint,
    awsRegion: awsRegion!,
    interruptionQueue,
    batchIdleDurationMs,
    batchMaxDurationMs,
    featureGates,
    vmMemoryOverheadPercent,
    metricsPort,
    healthProbePort,
    logLevel: logLevel as LogLevel,
    databaseUrl,
    ledgerPath: read('LEDGER_PATH'),
    leaderElection: {
      enabled: leaderElect === 'true',
      namespace: read('LEADER_ELECTION_NAMESPACE') ?? read('POD_NAMESPACE') ?? 'kube-system',
      name: read('LEADER_ELECTION_NAME') ?? 'karpenter-leader-election',
      identity: read('POD_NAME') ?? `${hostname}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    },
  };
}
