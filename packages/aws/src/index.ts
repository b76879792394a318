// Public API: filled in by this package's own issue.
export {};
// Catalog and instance-type math (shared by the bundled catalog and the live provider).
export * from './catalog/bundled-catalog.js';
export * from './catalog/build-instance-type.js';
export * from './catalog/catalog-instance-types.js';
export * from './catalog/instance-type-requirements.js';
export * from './catalog/instance-type-resources.js';
export * from './catalog/pricing.js';
