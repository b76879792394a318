import { EventRecorder, type Clock } from '@karpenter-ts/kube';
import { Module } from '@nestjs/common';
import type { Logger } from '../operator/logger.js';
import { CLOCK, LOGGER, SETTINGS } from '../operator/tokens.js';
import type { Settings } from '../settings/settings.js';
import { ClusterState } from './cluster-state.js';
import { KubernetesApi } from './kubernetes-api.js';

/** Kubernetes access: the API clients, the watch-backed cluster state and the event recorder. */
@Module({
  providers: [
    KubernetesApi,
    ClusterState,
    {
      provide: EventRecorder,
      inject: [KubernetesApi, SETTINGS, CLOCK, LOGGER],
      useFactory: (api: KubernetesApi, settings: Settings, clock: Clock, logger: Logger) =>
        new EventRecorder(api.events, 'karpenter', { instance: settings.leaderElection.identity, clock, logger }),
    },
  ],
  exports: [KubernetesApi, ClusterState, EventRecorder],
})
export class ClusterModule {}
