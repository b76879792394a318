import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module.js';
import { Metrics } from '../metrics/metrics.js';
import { MeteredCloudProvider } from '../metrics/metered-cloud-provider.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { NodeClaimGarbageCollectionModule } from '../nodeclaim/garbage-collection/nodeclaim-garbage-collection.module.js';
import { NodeClaimLifecycleModule } from '../nodeclaim/lifecycle/nodeclaim-lifecycle.module.js';
import { NodeClassModule } from '../nodeclass/nodeclass.module.js';
import { NodePoolModule } from '../nodepool/nodepool.module.js';
import { ProvisioningModule } from '../provisioning/provisioning.module.js';
import type { OperatorDependencies } from './operator-dependencies.js';
import { Operator } from './operator.js';
import { CLOCK, CLOUD_PROVIDER, KUBE_CLIENT, LEDGER, LOGGER, NODE_CLASS_RESOLVER, SETTINGS } from './tokens.js';

/** The root module: the dependencies the operator was started with, and one module per controller. */
@Global()
@Module({})
export class OperatorModule {
  static forRoot(deps: OperatorDependencies): DynamicModule {
    const values = [
      { provide: SETTINGS, useValue: deps.settings },
      { provide: CLOCK, useValue: deps.clock },
      { provide: LOGGER, useValue: deps.logger },
      { provide: KUBE_CLIENT, useValue: deps.kube },
      { provide: NODE_CLASS_RESOLVER, useValue: deps.nodeClassResolver },
      { provide: LEDGER, useValue: deps.ledger },
    ];
    return {
      module: OperatorModule,
      imports: [MetricsModule, ClusterModule, ProvisioningModule, NodeClaimLifecycleModule, NodeClaimGarbageCollectionModule, NodePoolModule, NodeClassModule],
      providers: [
        ...values,
        { provide: CLOUD_PROVIDER, inject: [Metrics], useFactory: (metrics: Metrics) => new MeteredCloudProvider(deps.cloudProvider, metrics) },
        Operator,
      ],
      exports: [...values.map((v) => v.provide), CLOUD_PROVIDER],
    };
  }
}
