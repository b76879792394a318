/** Injection tokens for the values the operator is started with (NestJS cannot infer them: no decorator metadata). */
export const SETTINGS = Symbol('Settings');
export const CLOCK = Symbol('Clock');
export const LOGGER = Symbol('Logger');
export const KUBE_CLIENT = Symbol('KubeClient');
export const CLOUD_PROVIDER = Symbol('CloudProvider');
export const NODE_CLASS_RESOLVER = Symbol('NodeClassResolver');
export const LEDGER = Symbol('Ledger');
