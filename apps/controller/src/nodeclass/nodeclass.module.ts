import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module.js';
import { NodeClassStatus } from './nodeclass-status.js';

@Module({ imports: [ClusterModule], providers: [NodeClassStatus], exports: [NodeClassStatus] })
export class NodeClassModule {}
