// Test support: evaluates Terraform expressions taken from the synthesized stack with the real
// `terraform` (no providers needed: only variables and outputs), references replaced by variables.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };

export function requireTerraform(): void {
  if (spawnSync('terraform', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('terraform is not on PATH: install Terraform >= 1.5 (cdktf deploy needs it too) to run this test');
  }
}

/** The expression inside a synthesized `"${…}"` string. */
export function expressionOf(template: unknown): string {
  const text = String(template);
  if (!/^\$\{.*\}$/s.test(text)) throw new Error(`not a single interpolation: ${text}`);
  return text.slice(2, -1);
}

export class TerraformEvaluator {
  private readonly dir = mkdtempSync(join(tmpdir(), 'infra-terraform-'));

  /**
   * @param variables variable name → Terraform type, e.g. `{ existing_data: 'map(string)' }`
   * @param outputs output name → expression over `var.<name>`
   */
  constructor(variables: Record<string, string>, outputs: Record<string, string>) {
    requireTerraform();
    const config = [
      ...Object.entries(variables).map(([name, type]) => `variable "${name}" {\n  type = ${type}\n}`),
      ...Object.entries(outputs).map(([name, expression]) => `output "${name}" {\n  value = ${expression}\n}`),
    ];
    writeFileSync(join(this.dir, 'main.tf'), `${config.join('\n')}\n`);
    this.terraform(['init', '-input=false', '-backend=false']);
  }

  /** The outputs for these variable values; throws Terraform's error when an expression fails. */
  evaluate(values: Record<string, unknown>): Record<string, unknown> {
    const vars = join(this.dir, 'vars.tfvars.json');
    writeFileSync(vars, JSON.stringify(values));
    rmSync(join(this.dir, 'terraform.tfstate'), { force: true });
    this.terraform(['apply', '-auto-approve', '-input=false', `-var-file=${vars}`]);
    const outputs = JSON.parse(this.terraform(['output', '-json'])) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private terraform(args: string[]): string {
    return execFileSync('terraform', args, { cwd: this.dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
}
