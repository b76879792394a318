import { Module } from '@nestjs/common';
import { ClusterModule } from '../../cluster/cluster.module.js';
import { MetricsModule } from '../../metrics/metrics.module.js';
import { NodeClaimLifecycle } from './nodeclaim-lifecycle.js';

@Module({ imports: [ClusterModule, MetricsModule], providers: [NodeClaimLifecycle], exports: [NodeClaimLifecycle] })
export class NodeClaimLifecycleModule {}
