import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { loadSettings, SettingsError } from './settings.js';

const minimal = { CLUSTER_NAME: 'dev', AWS_REGION: 'us-west-2' };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadSettings(env);
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadSettings', () => {
  it('applies the upstream defaults', () => {
    const s = loadSettings(minimal);
    expect(s.batchIdleDurationMs).toBe(1000);
    expect(s.batchMaxDurationMs).toBe(10_000);
    expect(s.metricsPort).toBe(8080);
    expect(s.healthProbePort).toBe(8081);
    expect(s.vmMemoryOverheadPercent).toBe(0.075);
    expect(s.featureGates.SpotToSpotConsolidation).toBe(false);
    expect(s.logLevel).toBe('info');
    expect(s.databaseUrl).toBeUndefined();
    expect(s.leaderElection.enabled).toBe(true);
  });

  it('reads every setting', () => {
    const s = loadSettings({
      ...minimal,
      CLUSTER_ENDPOINT: 'https://abc.eks.amazonaws.com',
      INTERRUPTION_QUEUE: 'dev-interruptions',
      BATCH_IDLE_DURATION: '500ms',
      BATCH_MAX_DURATION: '1m30s',
      FEATURE_GATES: 'SpotToSpotConsolidation=true, NodeRepair=false',
      VM_MEMORY_OVERHEAD_PERCENT: '0.05',
      METRICS_PORT: '9000',
      HEALTH_PROBE_PORT: '9001',
      LOG_LEVEL: 'DEBUG',
      DATABASE_URL: 'postgres://u:p@db:5432/ledger',
    });
    expect(s.batchIdleDurationMs).toBe(500);
    expect(s.batchMaxDurationMs).toBe(90_000);
    expect(s.featureGates.SpotToSpotConsolidation).toBe(true);
    expect(s.vmMemoryOverheadPercent).toBe(0.05);
    expect(s.logLevel).toBe('debug');
    expect(s.interruptionQueue).toBe('dev-interruptions');
  });

  it('reports every bad value at once, one clear line each', () => {
    const problems = problemsOf({
      AWS_REGION: 'Oregon',
      INTERRUPTION_QUEUE: 'arn:aws:sqs:us-west-2:123456789012:dev-queue',
      BATCH_IDLE_DURATION: 'soon',
      FEATURE_GATES: 'Bogus=true,SpotToSpotConsolidation',
      VM_MEMORY_OVERHEAD_PERCENT: '7.5',
      METRICS_PORT: '99999',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
    });
    expect(problems).toHaveLength(10);
    expect(problems[0]).toMatch(/^CLUSTER_NAME is required/);
    expect(problems.find((p) => p.startsWith('INTERRUPTION_QUEUE'))).toContain('INTERRUPTION_QUEUE=dev-queue');
    expect(problems.find((p) => p.startsWith('BATCH_IDLE_DURATION'))).toContain('"soon"');
    expect(problems.filter((p) => p.startsWith('FEATURE_GATES'))).toHaveLength(2);
    expect(problems.find((p) => p.startsWith('VM_MEMORY'))).toContain('0.075');
    expect(problems.find((p) => p.startsWith('AWS_REGION'))).toContain('us-west-2');
  });

  it('rejects a max batch window shorter than the idle window', () => {
    expect(problemsOf({ ...minimal, BATCH_IDLE_DURATION: '5s', BATCH_MAX_DURATION: '2s' })).toEqual([
      expect.stringContaining('BATCH_MAX_DURATION (2000 ms) is shorter than BATCH_IDLE_DURATION (5000 ms)'),
    ]);
  });
});

describe('parseDuration', () => {
  it('parses Go durations', () => {
    expect(parseDuration('1s')).toBe(1000);
    expect(parseDuration('1h2m3s')).toBe(3_723_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('1d')).toBeUndefined();
  });
});
