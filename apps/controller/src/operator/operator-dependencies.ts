import type { CloudProvider } from '@karpenter-ts/api';
import type { Clock, KubeClient } from '@karpenter-ts/kube';
import type { Ledger } from '../ledger/index.js';
import type { NodeClassResolver } from '../nodeclass/node-class-resolver.js';
import type { Settings } from '../settings/settings.js';
import type { Logger } from './logger.js';

/**
 * What the operator is built from. `main.ts` builds the real ones from the settings; tests pass
 * their own (a controllable clock, a moto-backed cloud provider, an in-memory ledger).
 */
export interface OperatorDependencies {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly kube: KubeClient;
  readonly cloudProvider: CloudProvider;
  readonly nodeClassResolver: NodeClassResolver;
  readonly ledger: Ledger;
}
