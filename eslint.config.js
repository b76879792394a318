// The dependency direction is a rule, not a hope: api ← solver ← aws, api ← kube, apps on all.
import tseslint from 'typescript-eslint';

const packages = ['api', 'solver', 'aws', 'kube'];
const allowed = {
  api: [],
  solver: ['api'],
  aws: ['api', 'solver'],
  kube: ['api'],
};

function forbiddenFor(pkg) {
  const others = packages.filter((p) => p !== pkg && !allowed[pkg].includes(p));
  return [
    ...others.map((p) => ({
      group: [`@karpenter-ts/${p}`, `@karpenter-ts/${p}/*`, `**/packages/${p}/**`, `**/${p}/src`, `**/${p}/src/**`],
      message: `packages/${pkg} may only depend on ${allowed[pkg].map((a) => '@karpenter-ts/' + a).join(', ') || 'nothing in this repo'} (dependency direction api ← solver ← aws, api ← kube).`,
    })),
    {
      group: ['@karpenter-ts/controller', '@karpenter-ts/infra', '@karpenter-ts/tools', '**/apps/**', '**/infra/**', '**/tools/**'],
      message: 'Reusable packages must not import apps, infra or tools.',
    },
    {
      group: ['@karpenter-ts/*/src/*', '@karpenter-ts/*/dist/*'],
      message: "Import a package's public API (its index), not its internals.",
    },
  ];
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/cdktf.out/**', '.nx/**', '.testenv/**', '**/coverage/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {},
  },
  ...packages.map((pkg) => ({
    files: [`packages/${pkg}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: forbiddenFor(pkg) }] },
  })),
  {
    files: ['packages/solver/src/**/*.ts'],
    ignores: ['packages/solver/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbiddenFor('solver'),
            { group: ['node:*', 'fs', 'net', 'http', 'https', 'child_process'], message: 'The solver is pure: no I/O.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'The solver reads no clock: take the time as input.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'The solver is deterministic: take randomness as input.' }],
    },
  },
);
