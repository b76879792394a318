// `npm run testenv:build`: build (or find cached) kube-apiserver and etcd. Idempotent.
import { buildBinary, recipes } from './binaries.js';

const log = (line: string) => process.stderr.write(`[testenv:build] ${line}\n`);
try {
  for (const recipe of recipes) buildBinary(recipe, log);
} catch (error) {
  log((error as Error).message);
  process.exitCode = 1;
}
