/**
 * Which NodeClaim each pending pod was nominated to. A pod nominated to a NodeClaim that is
 * still coming up is not scheduled again (its capacity is reserved on that NodeClaim instead).
 */
export class Nominations {
  private readonly byPod = new Map<string, string>();

  nominate(podUid: string, nodeClaim: string): void {
    this.byPod.set(podUid, nodeClaim);
  }

  nodeClaimOf(podUid: string): string | undefined {
    return this.byPod.get(podUid);
  }

  /** Drops nominations whose NodeClaim is no longer a valid target, or whose pod is gone. */
  prune(isLiveNodeClaim: (name: string) => boolean, isPendingPod: (uid: string) => boolean): void {
    for (const [pod, nodeClaim] of this.byPod) {
      if (!isLiveNodeClaim(nodeClaim) || !isPendingPod(pod)) this.byPod.delete(pod);
    }
  }

  podsOf(nodeClaim: string): string[] {
    return [...this.byPod].filter(([, c]) => c === nodeClaim).map(([pod]) => pod);
  }
}
