// Entry point of the `karpenter-ts` command (see apps/controller/bin/karpenter-ts.js).
import { readFileSync } from 'node:fs';
import { createProgram } from './program.js';

const program = createProgram({
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: () => readFileSync(0, 'utf8'),
  env: process.env,
});
process.exitCode = await program.run(process.argv.slice(2));
