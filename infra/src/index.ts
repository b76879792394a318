// Public API of the infra app, for teams that compose it into their own CDKTF app.
export { parseInfraConfig, InfraConfigError } from './config.js';
export type { InfraConfig, ControllerIdentity, NodeAccess as NodeAccessConfig, ChartConfig } from './config.js';
export { KarpenterStack } from './karpenter-stack.js';
export { controllerPolicies, type PolicyScope } from './iam/controller-policies.js';
export { resourceNames, boundedName, NAME_LIMITS, POLICY_CONCERNS, INTERRUPTION_EVENT_KINDS } from './names.js';
