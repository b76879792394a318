// Public API of the test environment, for integration tests (`*.int.test.ts`) across the repo.
export { kubeConfigFromEnv, freshNamespace } from './kube.js';
export { resetMoto } from './moto.js';
export { createUniqueDatabase } from './postgres.js';
export { installCrds, projectCrds, waitForCrdsEstablished, repoRoot } from './crds.js';
export { startTestEnv, stopTestEnv, type TestEnvState } from './environment.js';
export { missingPrerequisites } from './prerequisites.js';
