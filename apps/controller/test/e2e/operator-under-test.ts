import { Writable } from 'node:stream';
import { AwsCloudProvider, createAwsClients, type AwsClientOptions } from '@karpenter-ts/aws';
import { KubeClient, type Clock } from '@karpenter-ts/kube';
import { openLedger, type Ledger } from '../../src/ledger/index.js';
import { createOperator, type RunningOperator } from '../../src/operator/create-operator.js';
import { createLogger } from '../../src/operator/logger.js';
import type { OperatorPorts } from '../../src/operator/operator.js';
import { loadSettings } from '../../src/settings/settings.js';
import { region } from './aws-fixtures.js';

/** A clock tests can move forward (timeouts) while everything else runs in real time. */
export class ShiftableClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

export interface OperatorUnderTest extends RunningOperator {
  readonly ports: OperatorPorts;
  readonly clock: ShiftableClock;
  readonly ledger: Ledger;
  readonly cloud: AwsCloudProvider;
  /** Every JSON log line the operator wrote. */
  readonly logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * The operator in this process, as `main.ts` builds it, against the test API server and the
 * given moto endpoint (optionally a different EC2 endpoint, e.g. a fault-injecting proxy).
 */
export async function startOperator(options: { clusterName: string; motoEndpoint: string; ec2Endpoint?: string; env?: Record<string, string> }): Promise<OperatorUnderTest> {
  const settings = loadSettings({
    CLUSTER_NAME: options.clusterName,
    AWS_REGION: region,
    BATCH_IDLE_DURATION: '1s',
    BATCH_MAX_DURATION: '10s',
    METRICS_PORT: '0',
    HEALTH_PROBE_PORT: '0',
    LEADER_ELECT: 'false',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
    ...options.env,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
        if (process.env.E2E_LOGS) process.stderr.write(line + '\n');
      }
      done();
    },
  });
  const logger = createLogger(settings.logLevel, sink);
  const clock = new ShiftableClock();
  const kube = KubeClient.fromEnvironment();
  const ledger = await openLedger({ sqlitePath: ':memory:' }, () => clock.now());
  let running: RunningOperator | undefined;
  const clientOptions: AwsClientOptions = {
    region,
    endpoint: options.motoEndpoint,
    endpoints: options.ec2Endpoint ? { ec2: options.ec2Endpoint } : undefined,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 2,
  };
  const cloud = new AwsCloudProvider(createAwsClients(clientOptions), {
    region,
    clusterName: settings.clusterName,
    clusterEndpoint: kube.server,
    clusterCABundle: '',
    kubernetesVersion: '1.36',
    nodeClass: async (name) => running?.operator.state.ec2NodeClasses.get(name),
    clock: () => clock.now().getTime(),
  });
  running = await createOperator({
    settings,
    clock,
    logger,
    kube,
    cloudProvider: cloud,
    nodeClassResolver: { reconcile: (nc) => cloud.reconcileNodeClass(nc), finalize: (nc) => cloud.finalizeNodeClass(nc) },
    ledger,
  });
  const ports = await running.operator.start();
  const { app, operator } = running;
  return {
    app,
    operator,
    ports,
    clock,
    ledger,
    cloud,
    logs,
    async stop() {
      await operator.stop();
      await app.close();
      kube.close();
    },
  };
}
