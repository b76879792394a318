import { defineConfig } from 'vitest/config';

// Two tiers: `unit` (pure, fast, no peers) and `integration` (real kube-apiserver + etcd, moto,
// PostgreSQL, started once by tools/testenv in the global setup).
export default defineConfig({
  resolve: { conditions: ['@karpenter-ts/source'] },
  ssr: { resolve: { conditions: ['@karpenter-ts/source'] } },
  test: {
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
          include: ['{packages,apps,infra,tools}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
