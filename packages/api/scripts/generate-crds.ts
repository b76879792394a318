// Writes the CRD manifests generated from the schemas to packages/api/crds/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { customResourceDefinitions, renderCrdYaml } from '../src/index.js';

const crdDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'crds');
mkdirSync(crdDir, { recursive: true });
for (const { fileName, crd } of customResourceDefinitions) {
  writeFileSync(join(crdDir, fileName), renderCrdYaml(crd));
  console.log(`wrote ${join('packages/api/crds', fileName)}`);
}
