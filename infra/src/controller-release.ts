import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release/index.js';
import type { ChartConfig, ControllerIdentity } from './config.js';

export interface ControllerReleaseProps {
  chart: ChartConfig;
  namespace: string;
  serviceAccount: string;
  identity: ControllerIdentity;
  clusterName: string;
  clusterEndpoint: string;
  interruptionQueueName: string;
  controllerRoleArn: string;
  /** What must exist before the controller starts (role, policies, queue, node access). */
  dependsOn: ITerraformDependable[];
}

/**
 * The chart values this app owns. They are applied after the user's `chart.values`, so the
 * release always matches the infrastructure it was deployed with.
 */
export function controllerChartValues(props: Omit<ControllerReleaseProps, 'chart' | 'namespace' | 'dependsOn'>): Record<string, unknown> {
  return {
    settings: {
      clusterName: props.clusterName,
      clusterEndpoint: props.clusterEndpoint,
      interruptionQueue: props.interruptionQueueName,
    },
    serviceAccount: {
      name: props.serviceAccount,
      annotations: props.identity.mode === 'irsa' ? { 'eks.amazonaws.com/role-arn': props.controllerRoleArn } : {},
    },
  };
}

/** The Helm release of the controller chart of this repository. */
export class ControllerRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ControllerReleaseProps) {
    super(scope, id);
    this.release = new Release(this, 'release', {
      name: props.chart.releaseName,
      chart: props.chart.path,
      namespace: props.namespace,
      createNamespace: true,
      values: [JSON.stringify(props.chart.values), JSON.stringify(controllerChartValues(props))],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      dependsOn: props.dependsOn,
    });
  }
}
