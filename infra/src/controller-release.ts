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
  region: string;
  interruptionQueueName: string;
  controllerRoleArn: string;
  /** What must exist before the controller starts (role, policies, queue, node access). */
  dependsOn: ITerraformDependable[];
}

export type ChartValueInputs = Omit<ControllerReleaseProps, 'chart' | 'namespace' | 'dependsOn'>;

/**
 * The chart values this app owns. They are applied after the user's `chart.values`, so the
 * release always matches the infrastructure it was deployed with.
 */
export function controllerChartValues(props: ChartValueInputs): Record<string, unknown> {
  return {
    settings: {
      clusterName: props.clusterName,
      clusterEndpoint: props.clusterEndpoint,
      // Pod Identity does not inject AWS_REGION as the IRSA webhook does, so always set it.
      awsRegion: props.region,
      interruptionQueue: props.interruptionQueueName,
    },
    serviceAccount: {
      name: props.serviceAccount,
      annotations: props.identity.mode === 'irsa' ? { 'eks.amazonaws.com/role-arn': props.controllerRoleArn } : {},
    },
  };
}

/** The Helm releases of this repository's charts: the CRDs (unless managed elsewhere), then the controller. */
export class ControllerRelease extends Construct {
  readonly crds?: Release;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ControllerReleaseProps) {
    super(scope, id);
    const common = { namespace: props.namespace, createNamespace: true, atomic: true, cleanupOnFail: true, wait: true };
    if (props.chart.installCrds) {
      this.crds = new Release(this, 'crds', { ...common, name: `${props.chart.releaseName}-crd`, chart: props.chart.crdPath });
    }
    this.release = new Release(this, 'release', {
      ...common,
      name: props.chart.releaseName,
      chart: props.chart.path,
      values: [JSON.stringify(props.chart.values), JSON.stringify(controllerChartValues(props))],
      dependsOn: [...props.dependsOn, ...(this.crds ? [this.crds] : [])],
    });
  }
}
