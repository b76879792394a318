export * from './requirement.js';
export * from './instance-type.js';
export * from './labels.js';
