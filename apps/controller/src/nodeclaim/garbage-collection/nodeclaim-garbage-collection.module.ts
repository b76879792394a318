import { Module } from '@nestjs/common';
import { ClusterModule } from '../../cluster/cluster.module.js';
import { MetricsModule } from '../../metrics/metrics.module.js';
import { NodeClaimGarbageCollection } from './nodeclaim-garbage-collection.js';

@Module({ imports: [ClusterModule, MetricsModule], providers: [NodeClaimGarbageCollection], exports: [NodeClaimGarbageCollection] })
export class NodeClaimGarbageCollectionModule {}
