import type { CloudProvider, NodeClaim } from '@karpenter-ts/api';
import { isNodeClaimNotFoundError, NodeClaimConditionTypes } from '@karpenter-ts/api';
import { EventRecorder, sleep, type Clock } from '@karpenter-ts/kube';
import { Inject, Injectable } from '@nestjs/common';
import { ClusterState } from '../../cluster/cluster-state.js';
import { KubernetesApi } from '../../cluster/kubernetes-api.js';
import type { Ledger } from '../../ledger/index.js';
import { Metrics } from '../../metrics/metrics.js';
import type { Logger } from '../../operator/logger.js';
import { CLOCK, CLOUD_PROVIDER, LEDGER, LOGGER } from '../../operator/tokens.js';
import { errorText } from '../../reconcile/reconcile-loop.js';
import { nodePoolOf, timeOf } from '../nodeclaim-names.js';

export const garbageCollectionIntervalMs = 2 * 60_000;
/** Instances and NodeClaims younger than this are left alone: their launch may still be being recorded. */
const settleMs = 30_000;

export interface GarbageCollectionReport {
  readonly terminatedInstances: readonly string[];
  readonly deletedNodeClaims: readonly string[];
}

/**
 * Reconciles the cloud with the NodeClaims every two minutes: instances tagged for this
 * cluster that no NodeClaim accounts for are terminated (leaked by a crash or a lost response),
 * and launched NodeClaims whose instance has vanished (terminated behind the controller's back)
 * are deleted.
 */
@Injectable()
export class NodeClaimGarbageCollection {
  constructor(
    @Inject(ClusterState) private readonly state: ClusterState,
    @Inject(KubernetesApi) private readonly api: KubernetesApi,
    @Inject(CLOUD_PROVIDER) private readonly cloud: CloudProvider,
    @Inject(EventRecorder) private readonly events: EventRecorder,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(signal: AbortSignal, intervalMs = garbageCollectionIntervalMs): Promise<void> {
    while (!signal.aborted) {
      await sleep(intervalMs, signal);
      if (signal.aborted) return;
      try {
        await this.collect();
      } catch (err) {
        this.logger.error({ err: errorText(err) }, 'garbage collection failed');
      }
    }
  }

  async collect(): Promise<GarbageCollectionReport> {
    const listedAt = this.clock.now().getTime();
    const instances = await this.cloud.list();
    const nodeClaims = this.state.nodeClaims.list();
    const byProviderID = new Map(nodeClaims.filter((c) => c.status?.providerID).map((c) => [c.status!.providerID!, c]));
    const byName = new Map(nodeClaims.map((c) => [c.metadata.name!, c]));

    const terminatedInstances: string[] = [];
    for (const instance of instances) {
      const providerID = instance.status?.providerID;
      if (!providerID || byProviderID.has(providerID)) continue;
      if (listedAt - timeOf(instance.metadata.creationTimestamp) < settleMs) continue;
      const owner = byName.get(instance.metadata.labels?.['karpenter.sh/nodeclaim'] ?? instance.metadata.name ?? '');
      if (owner && !owner.status?.providerID && !owner.metadata.deletionTimestamp) continue; // its NodeClaim will adopt it
      try {
        await this.cloud.delete(instance);
      } catch (err) {
        if (!isNodeClaimNotFoundError(err)) throw err;
      }
      const node = this.state.nodeByProviderID(providerID);
      if (node) await this.api.nodes.delete(node.metadata!.name!, undefined, { uid: node.metadata!.uid });
      terminatedInstances.push(providerID);
      this.logger.info({ instance: providerID, nodepool: nodePoolOf(instance) }, 'garbage collected instance without a nodeclaim');
      await this.record('terminate', 'GarbageCollected', instance, { message: 'instance had no NodeClaim' });
    }

    const live = new Set(instances.map((i) => i.status?.providerID));
    const deletedNodeClaims: string[] = [];
    for (const nodeClaim of nodeClaims) {
      const providerID = nodeClaim.status?.providerID;
      if (!providerID || live.has(providerID) || nodeClaim.metadata.deletionTimestamp) continue;
      const launched = nodeClaim.status?.conditions?.find((c) => c.type === NodeClaimConditionTypes.launched);
      if (!launched || listedAt - timeOf(launched.lastTransitionTime) < settleMs) continue;
      // Confirm with a direct lookup: a list can lag behind a launch.
      try {
        await this.cloud.get(providerID);
        continue;
      } catch (err) {
        if (!isNodeClaimNotFoundError(err)) throw err;
      }
      const name = nodeClaim.metadata.name!;
      this.events.publish(nodeClaim, 'Warning', 'InstanceGone', `instance ${providerID} of NodeClaim ${name} no longer exists; deleting the NodeClaim`);
      if (await this.api.nodeClaims.delete(name, undefined, { uid: nodeClaim.metadata.uid })) {
        this.metrics.nodeClaimsTerminated.inc({ reason: 'garbage_collected', nodepool: nodePoolOf(nodeClaim) });
        deletedNodeClaims.push(name);
        this.logger.info({ nodeclaim: name, instance: providerID }, 'garbage collected nodeclaim whose instance vanished');
        await this.record('delete', 'InstanceGone', nodeClaim, { providerID });
      }
    }
    return { terminatedInstances, deletedNodeClaims };
  }

  private async record(action: string, reason: string, subject: NodeClaim, detail: Record<string, unknown>): Promise<void> {
    try {
      await this.ledger.recordDecision({ action, reason, nodePool: nodePoolOf(subject) || undefined, nodeClaim: subject.metadata.name, detail: { ...detail, providerID: subject.status?.providerID } });
    } catch (err) {
      this.logger.error({ err: errorText(err) }, 'could not write the decision to the ledger');
    }
  }
}
