import { createHash } from 'node:crypto';
import type { CloudProvider, InstanceType, NodeClaim, NodePool } from '@karpenter-ts/api';
import { EventRecorder, type Clock } from '@karpenter-ts/kube';
import { formatQuantity, lowerBoundPricePerHour, schedule, type NodeClaimPlan, type SchedulingResult } from '@karpenter-ts/solver';
import type { V1Pod } from '@kubernetes/client-node';
import { Inject, Injectable } from '@nestjs/common';
import { ClusterState } from '../cluster/cluster-state.js';
import { KubernetesApi } from '../cluster/kubernetes-api.js';
import type { Ledger, PlanSummary } from '../ledger/index.js';
import { Metrics } from '../metrics/metrics.js';
import type { Logger } from '../operator/logger.js';
import { CLOCK, CLOUD_PROVIDER, LEDGER, LOGGER, SETTINGS } from '../operator/tokens.js';
import { errorText } from '../reconcile/reconcile-loop.js';
import type { Settings } from '../settings/settings.js';
import { Batcher } from './batcher.js';
import { mapConcurrent } from './map-concurrent.js';
import { nodeClaimFor } from './nodeclaim-template.js';
import { Nominations } from './nominations.js';
import { isProvisionable } from './provisionable-pods.js';
import { isNominationTarget, nodePoolNotReadyReason, schedulingSnapshot } from './scheduling-snapshot.js';

/** Pending pods are looked at again this often even without a change (capacity may have come back). */
const recheckIntervalMs = 30_000;
const createConcurrency = 32;

export interface ProvisioningOutcome {
  readonly nodeClaims: readonly NodeClaim[];
  readonly result: SchedulingResult | undefined;
}

/**
 * Turns pods kube-scheduler could not place into NodeClaims: batches them (idle / max windows
 * from the settings), snapshots the cluster, asks the solver, creates one NodeClaim per plan,
 * tells every pod where it should go (or, per NodePool, why it cannot go anywhere), and records
 * the round in the ledger.
 */
@Injectable()
export class Provisioner {
  readonly nominations = new Nominations();
  private batcher: Batcher;

  constructor(
    @Inject(ClusterState) private readonly state: ClusterState,
    @Inject(KubernetesApi) private readonly api: KubernetesApi,
    @Inject(CLOUD_PROVIDER) private readonly cloud: CloudProvider,
    @Inject(EventRecorder) private readonly events: EventRecorder,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(SETTINGS) private readonly settings: Settings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.batcher = new Batcher(settings.batchIdleDurationMs, settings.batchMaxDurationMs, () => clock.now().getTime());
  }

  /** Runs batches until the signal aborts (leadership lost or shutdown). */
  async run(signal: AbortSignal): Promise<void> {
    const triggerFor = (pod: V1Pod) => {
      if (isProvisionable(pod)) this.batcher.trigger();
    };
    // Instance types of a NodePool are fetched as soon as it is ready, not in the first batch's critical path.
    const onNodePool = (pool: NodePool) => {
      if (!nodePoolNotReadyReason(pool)) void this.instanceTypesOf([pool]);
      this.triggerIfPending();
    };
    const unsubscribe = [
      this.state.pods.on({ onAdd: triggerFor, onUpdate: triggerFor }),
      this.state.nodeClaims.on({ onDelete: () => this.triggerIfPending() }),
      this.state.nodePools.on({ onAdd: onNodePool, onUpdate: onNodePool }),
    ];
    for (const pool of this.state.nodePools.list()) onNodePool(pool);
    const recheck = setInterval(() => this.triggerIfPending(), recheckIntervalMs);
    this.triggerIfPending();
    try {
      while (await this.batcher.wait(signal)) {
        try {
          await this.provision();
        } catch (err) {
          this.logger.error({ err: errorText(err) }, 'provisioning failed, retrying at the next batch');
          setTimeout(() => this.triggerIfPending(), 5_000).unref();
        }
      }
    } finally {
      clearInterval(recheck);
      for (const off of unsubscribe) off();
    }
  }

  private triggerIfPending(): void {
    if (this.state.pods.list(isProvisionable).length) this.batcher.trigger();
  }

  /** One provisioning round over the pods pending now. */
  async provision(): Promise<ProvisioningOutcome> {
    const now = this.clock.now().getTime();
    const pending = this.state.pods.list(isProvisionable);
    const pendingUids = new Set(pending.map((p) => p.metadata?.uid ?? ''));
    this.nominations.prune((name) => isNominationTarget(this.state.nodeClaims.get(name), now), (uid) => pendingUids.has(uid));
    this.metrics.schedulerQueueDepth.set({ controller: 'provisioner' }, pending.length);
    if (!pending.length) return { nodeClaims: [], result: undefined };

    const allPools = this.state.nodePools.list();
    const notReady = allPools.map((pool) => [pool, nodePoolNotReadyReason(pool)] as const).filter(([, reason]) => reason);
    const readyPools = allPools.filter((pool) => !nodePoolNotReadyReason(pool));
    const started = performance.now();
    const instanceTypes = await this.instanceTypesOf(readyPools);
    const listed = performance.now();
    const input = schedulingSnapshot(this.state, pending, readyPools.filter((p) => instanceTypes[p.metadata.name!]), instanceTypes, this.nominations);
    if (!input.pods.length) return { nodeClaims: [], result: undefined };

    const endTimer = this.metrics.schedulingDuration.startTimer({ controller: 'provisioner' });
    const result = schedule(input);
    endTimer();
    const solved = performance.now();
    for (const problem of result.problems) this.logger.warn({ object: problem.object, field: problem.field }, problem.message);

    const poolsByName = new Map(readyPools.map((p) => [p.metadata.name!, p]));
    const created = await mapConcurrent(result.nodeClaims, createConcurrency, (plan) => this.create(plan, poolsByName.get(plan.nodePool)!));
    const podsByKey = new Map(pending.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p]));
    created.forEach((nodeClaim, i) => {
      if (!nodeClaim) return;
      for (const ref of result.nodeClaims[i].pods) {
        const pod = podsByKey.get(`${ref.namespace}/${ref.name}`);
        if (!pod) continue;
        this.nominations.nominate(pod.metadata!.uid!, nodeClaim.metadata.name!);
        this.events.publish(pod, 'Normal', 'Nominated', `Pod should schedule on: nodeclaim/${nodeClaim.metadata.name}`);
      }
    });
    let placedOnExisting = 0;
    for (const placement of result.existingPlacements) {
      // Capacity already there or coming up: reserve it for the pod until kube-scheduler binds it.
      const nodeClaim = placement.kind === 'nodeclaim' ? placement.name : this.state.nodeClaims.list((c) => c.status?.nodeName === placement.name)[0]?.metadata.name;
      for (const ref of placement.pods) {
        const pod = podsByKey.get(`${ref.namespace}/${ref.name}`);
        if (!pod) continue;
        placedOnExisting++;
        if (nodeClaim) this.nominations.nominate(pod.metadata!.uid!, nodeClaim);
        this.events.publish(pod, 'Normal', 'Nominated', `Pod should schedule on: ${placement.kind}/${placement.name}`);
      }
    }
    const notReadyReasons = notReady.map(([pool, reason]) => `nodepool "${pool.metadata.name}" ${reason}`);
    for (const { pod: ref, reasons } of result.unschedulable) {
      const pod = podsByKey.get(`${ref.namespace}/${ref.name}`);
      const all = [...reasons, ...notReadyReasons];
      const message = all.length ? `Failed to schedule pod, ${all.join('; ')}` : 'Failed to schedule pod: no NodePool is ready (create a NodePool with a Ready EC2NodeClass)';
      if (pod) this.events.publish(pod, 'Warning', 'FailedScheduling', message);
      this.logger.info({ pod: `${ref.namespace}/${ref.name}` }, message);
    }
    const launched = created.filter((c): c is NodeClaim => !!c);
    const ms = (from: number, to: number) => Math.round(to - from);
    this.logger.info(
      {
        pods: input.pods.length,
        nodeclaims: launched.length,
        existing: placedOnExisting,
        unschedulable: result.unschedulable.length,
        durations: { instanceTypesMs: ms(started, listed), solveMs: ms(listed, solved), createMs: ms(solved, performance.now()) },
      },
      'computed new nodeclaim(s) to fit pod(s)',
    );
    await this.record(input.pods.length, result, created, () => lowerBoundPricePerHour(input));
    return { nodeClaims: launched, result };
  }

  private async instanceTypesOf(pools: readonly NodePool[]): Promise<Record<string, InstanceType[]>> {
    const entries = await Promise.all(
      pools.map(async (pool) => {
        try {
          return [pool.metadata.name!, await this.cloud.getInstanceTypes(pool)] as const;
        } catch (err) {
          this.logger.error({ nodepool: pool.metadata.name, err: errorText(err) }, 'could not list instance types, skipping the nodepool this round');
          return undefined;
        }
      }),
    );
    return Object.fromEntries(entries.filter((e) => e !== undefined));
  }

  private async create(plan: NodeClaimPlan, nodePool: NodePool): Promise<NodeClaim | undefined> {
    try {
      const nodeClaim = await this.api.nodeClaims.create(nodeClaimFor(plan, nodePool));
      this.metrics.nodeClaimsCreated.inc({ reason: 'provisioning', nodepool: plan.nodePool, min_values_relaxed: 'false' });
      this.logger.info(
        { nodeclaim: nodeClaim.metadata.name, nodepool: plan.nodePool, pods: plan.pods.length, 'instance-types': plan.instanceTypes.slice(0, 5).map((t) => t.name).join(', '), price: plan.price },
        'created nodeclaim',
      );
      return nodeClaim;
    } catch (err) {
      this.logger.error({ nodepool: plan.nodePool, err: errorText(err) }, 'could not create nodeclaim');
      return undefined;
    }
  }

  /** `created[i]` is the NodeClaim made for `result.nodeClaims[i]`, if its creation succeeded. */
  private async record(podCount: number, result: SchedulingResult, created: readonly (NodeClaim | undefined)[], lowerBound: () => number): Promise<void> {
    try {
      const summary: PlanSummary = {
        nodeClaims: result.nodeClaims.map((plan) => ({
          nodePool: plan.nodePool,
          instanceTypes: plan.instanceTypes.map((t) => t.name),
          capacityType: plan.capacityTypes.join(','),
          zones: [...plan.zones],
          pods: plan.pods.map((p) => `${p.namespace}/${p.name}`),
          requests: { cpu: formatQuantity(plan.requests.cpu ?? 0, 'cpu'), memory: formatQuantity(plan.requests.memory ?? 0, 'memory') },
          pricePerHour: plan.price,
        })),
        unschedulable: result.unschedulable.map(({ pod, reasons }) => ({
          pod: `${pod.namespace}/${pod.name}`,
          reasons: Object.fromEntries(reasons.map((r) => /^nodepool "?([^":]+)"?:?\s*(.*)$/.exec(r)).map((m, i) => (m ? [m[1], m[2]] : [`reason-${i}`, reasons[i]]))),
        })),
        totalPricePerHour: result.nodeClaims.reduce((sum, plan) => sum + plan.price, 0),
        lowerBoundPricePerHour: safely(lowerBound, 0),
      };
      const digest = createHash('sha256')
        .update(JSON.stringify(result.nodeClaims.map((p) => p.pods).concat(result.unschedulable.map((u) => [u.pod]))))
        .digest('hex');
      const runId = await this.ledger.recordPlan({ source: 'controller', region: this.settings.awsRegion, inputDigest: digest, podCount, summary });
      for (const [i, plan] of result.nodeClaims.entries()) {
        const nodeClaim = created[i];
        if (!nodeClaim) continue;
        await this.ledger.recordDecision({
          action: 'create',
          reason: 'Provisioning',
          runId,
          nodePool: plan.nodePool,
          nodeClaim: nodeClaim.metadata.name,
          priceAfter: plan.price,
          detail: { pods: plan.pods.length, instanceTypes: plan.instanceTypes.slice(0, 10).map((t) => t.name) },
        });
      }
    } catch (err) {
      this.logger.error({ err: errorText(err) }, 'could not write the provisioning round to the ledger');
    }
  }
}

function safely<T>(compute: () => T, fallback: T): T {
  try {
    return compute();
  } catch {
    return fallback;
  }
}
