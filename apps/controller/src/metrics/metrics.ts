import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Injectable } from '@nestjs/common';

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The controller's Prometheus metrics, named as upstream Karpenter names them so existing
 * dashboards and alerts keep working. One registry per operator (tests run several).
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly nodeClaimsCreated = new Counter({
    name: 'karpenter_nodeclaims_created_total',
    help: 'NodeClaims created, by reason and NodePool.',
    labelNames: ['reason', 'nodepool', 'min_values_relaxed'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsLaunched = new Counter({
    name: 'karpenter_nodeclaims_launched_total',
    help: 'NodeClaims whose instance was launched.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsRegistered = new Counter({
    name: 'karpenter_nodeclaims_registered_total',
    help: 'NodeClaims whose Node registered.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsInitialized = new Counter({
    name: 'karpenter_nodeclaims_initialized_total',
    help: 'NodeClaims whose Node became initialized.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsTerminated = new Counter({
    name: 'karpenter_nodeclaims_terminated_total',
    help: 'NodeClaims terminated, by reason and NodePool.',
    labelNames: ['reason', 'nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodesCreated = new Counter({
    name: 'karpenter_nodes_created_total',
    help: 'Nodes that joined for a NodeClaim.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodesTerminated = new Counter({
    name: 'karpenter_nodes_terminated_total',
    help: 'Nodes removed with their NodeClaim.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly schedulingDuration = new Histogram({
    name: 'karpenter_scheduler_scheduling_duration_seconds',
    help: 'Duration of one provisioning scheduling pass.',
    labelNames: ['controller'] as const,
    buckets: durationBuckets,
    registers: [this.registry],
  });
  readonly schedulerQueueDepth = new Gauge({
    name: 'karpenter_scheduler_queue_depth',
    help: 'Pods waiting in the current scheduling pass.',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly nodePoolUsage = new Gauge({
    name: 'karpenter_nodepools_usage',
    help: 'Resources launched by a NodePool.',
    labelNames: ['nodepool', 'resource_type'] as const,
    registers: [this.registry],
  });
  readonly nodePoolLimit = new Gauge({
    name: 'karpenter_nodepools_limit',
    help: 'Resource limits of a NodePool.',
    labelNames: ['nodepool', 'resource_type'] as const,
    registers: [this.registry],
  });
  readonly cloudProviderDuration = new Histogram({
    name: 'karpenter_cloudprovider_duration_seconds',
    help: 'Duration of CloudProvider calls.',
    labelNames: ['method', 'provider'] as const,
    buckets: durationBuckets,
    registers: [this.registry],
  });
  readonly cloudProviderErrors = new Counter({
    name: 'karpenter_cloudprovider_errors_total',
    help: 'CloudProvider calls that failed, by error.',
    labelNames: ['method', 'provider', 'error'] as const,
    registers: [this.registry],
  });
  readonly podStartupDuration = new Histogram({
    name: 'karpenter_pods_startup_duration_seconds',
    help: 'Time from a pod being created to it being bound, for pods Karpenter provisioned for.',
    buckets: [1, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Reconcile passes by controller and result.',
    labelNames: ['controller', 'result'] as const,
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Duration of reconcile passes.',
    labelNames: ['controller'] as const,
    buckets: durationBuckets,
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'karpenter_leader',
    help: '1 while this replica holds the leader lease.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The observer a ReconcileLoop reports its passes to. */
  readonly observeReconcile = (controller: string, outcome: 'success' | 'error' | 'requeue', seconds: number): void => {
    this.reconcileTotal.inc({ controller, result: outcome });
    this.reconcileDuration.observe({ controller }, seconds);
  };
}
