// Public API: filled in by this package's own issue.
export {};
// Catalog and instance-type math (shared by the bundled catalog and the live provider).
export * from './catalog/index.js';
// The live EC2 CloudProvider.
export * from './actions.js';
export * from './clients.js';
export * from './clock.js';
export * from './cloud-provider.js';
export * from './drift.js';
export { awsErrorCode, describeAwsError, AwsCallError, CAPACITY_ERROR_CODES, SUBNET_EXHAUSTED_ERROR_CODE } from './errors.js';
export * from './instances.js';
export * from './instance-types/instance-type-provider.js';
export * from './interruption/interruption-queue.js';
export * from './interruption/messages.js';
export * from './launch/fleet.js';
export { launchTemplateName, LaunchTemplates } from './launch/launch-templates.js';
export { TagKeys } from './launch/tags.js';
export { al2023UserData } from './launch/user-data/al2023.js';
export { bottlerocketUserData } from './launch/user-data/bottlerocket.js';
export type { NodeBootstrap, NodeTaint } from './launch/user-data/node-bootstrap.js';
export type { Logger } from './logger.js';
export { NodeClassConditionTypes } from './nodeclass/nodeclass-status.js';
export { instanceProfileName } from './nodeclass/instance-profiles.js';
export { UnavailableOfferings, UNAVAILABLE_OFFERING_TTL_MS } from './unavailable-offerings.js';
