// `@karpenter-ts/aws/catalog`: the bundled EC2 catalog and the instance-type math, without the
// AWS SDK (offline tools such as `karpenter-ts plan` load only this).
export * from './bundled-catalog.js';
export * from './build-instance-type.js';
export * from './catalog-instance-types.js';
export * from './instance-type-requirements.js';
export * from './instance-type-resources.js';
export * from './pricing.js';
