import { defineConfig } from 'vitest/config';
import { integrationTierEnabled } from './tools/testenv/prerequisites.js';

// Two tiers: `unit` (pure, fast, no peers) and `integration` (real kube-apiserver + etcd, moto,
// PostgreSQL, started once by tools/testenv in the global setup). Where a peer is missing the
// integration tier is skipped with a loud message (a failure with CI=true).
const runIntegration = integrationTierEnabled();

export default defineConfig({
  resolve: { conditions: ['@karpenter-ts/source'] },
  ssr: { resolve: { conditions: ['@karpenter-ts/source'] } },
  test: {
    passWithNoTests: !runIntegration,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{packages,apps,infra,tools}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', '**/*.int.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: runIntegration ? ['{packages,apps,infra,tools}/**/*.int.test.ts'] : [],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['./tools/testenv/global-setup.ts'],
          // One file at a time: the files share one API server, and each controller end-to-end
          // test runs a controller that reconciles every NodePool and EC2NodeClass on it.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
