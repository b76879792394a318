// Test support: a valid configuration, and the synthesized Terraform JSON of a stack built from it.
import { Testing } from 'cdktf';
import { parseInfraConfig, type InfraConfig } from '../src/config.js';
import { KarpenterStack } from '../src/karpenter-stack.js';

export const CHART_PATH = '/repo/apps/controller/chart';
export const CRD_CHART_PATH = '/repo/apps/controller/chart/karpenter-ts-crd';
export const OIDC_PROVIDER_ARN = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const OIDC_ISSUER = 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** A raw configuration (as a user writes it) for cluster `demo`, with `overrides` applied. */
export function rawConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clusterName: 'demo',
    region: 'us-west-2',
    identity: { mode: 'irsa', oidcProviderArn: OIDC_PROVIDER_ARN },
    nodeAccess: { mode: 'accessEntry' },
    ...overrides,
  };
}

export function config(overrides: Record<string, unknown> = {}): InfraConfig {
  return parseInfraConfig(rawConfig(overrides), 'test', { chartPath: CHART_PATH, crdChartPath: CRD_CHART_PATH });
}

export interface TerraformResourceJson {
  [attribute: string]: unknown;
}

export interface SynthesizedStack {
  json: {
    resource: Record<string, Record<string, TerraformResourceJson>>;
    data: Record<string, Record<string, TerraformResourceJson>>;
    output: Record<string, { value: string; description: string }>;
    locals: Record<string, unknown>;
    provider: Record<string, unknown[]>;
    terraform: { required_providers: Record<string, { source: string; version: string }> };
  };
  /** The resources of a type, in construct order. */
  resources(type: string): TerraformResourceJson[];
  /** The single resource of a type. */
  resource(type: string): TerraformResourceJson;
  /** Terraform address (`type.logical_id`) of the single resource of a type. */
  address(type: string): string;
}

export function synth(cfg: InfraConfig): SynthesizedStack {
  const app = Testing.app();
  const stack = new KarpenterStack(app, 'karpenter', cfg);
  const json = JSON.parse(Testing.synth(stack)) as SynthesizedStack['json'];
  const resources = (type: string) => Object.values(json.resource[type] ?? {});
  const single = (type: string) => {
    const ids = Object.keys(json.resource[type] ?? {});
    if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
    return ids[0]!;
  };
  return {
    json,
    resources,
    resource: (type) => json.resource[type]![single(type)]!,
    address: (type) => `${type}.${single(type)}`,
  };
}
