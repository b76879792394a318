import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { NodePoolStatus } from './nodepool-status.js';

@Module({ imports: [ClusterModule, MetricsModule], providers: [NodePoolStatus], exports: [NodePoolStatus] })
export class NodePoolModule {}
