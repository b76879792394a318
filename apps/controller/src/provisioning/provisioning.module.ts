import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { Provisioner } from './provisioner.js';

@Module({ imports: [ClusterModule, MetricsModule], providers: [Provisioner], exports: [Provisioner] })
export class ProvisioningModule {}
