import { describe, expect, it } from 'vitest';
import { CHART_PATH, CRD_CHART_PATH, OIDC_PROVIDER_ARN, rawConfig } from '../test/synth.js';
import { InfraConfigError, parseInfraConfig } from './config.js';

const parse = (raw: unknown) => parseInfraConfig(raw, 'karpenter-infra.json', { chartPath: CHART_PATH, crdChartPath: CRD_CHART_PATH });
const problems = (raw: unknown): string[] => {
  try {
    parse(raw);
  } catch (error) {
    if (error instanceof InfraConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
};

describe('parseInfraConfig', () => {
  it('fills in the defaults of a minimal configuration', () => {
    expect(parse(rawConfig({ nodeAccess: undefined }))).toEqual({
      clusterName: 'demo',
      region: 'us-west-2',
      clusterEndpoint: undefined,
      identity: { mode: 'irsa', oidcProviderArn: OIDC_PROVIDER_ARN },
      nodeAccess: { mode: 'accessEntry' },
      namespace: 'kube-system',
      serviceAccount: 'karpenter',
      nodeRoleName: undefined,
      createNodeInstanceProfile: false,
      interruptionQueueName: undefined,
      chart: { path: CHART_PATH, crdPath: CRD_CHART_PATH, installCrds: true, releaseName: 'karpenter', values: {} },
      tags: {},
    });
  });

  it('accepts every identity and node access mode', () => {
    expect(parse(rawConfig({ identity: { mode: 'podIdentity' } })).identity).toEqual({ mode: 'podIdentity' });
    expect(parse(rawConfig({ identity: { mode: 'irsa', createOidcProvider: true } })).identity).toEqual({ mode: 'irsa', createOidcProvider: true });
    expect(parse(rawConfig({ nodeAccess: { mode: 'awsAuth' } })).nodeAccess).toEqual({ mode: 'awsAuth' });
  });

  it('names the file, the field and the fix, and reports every problem at once', () => {
    let error: unknown;
    try {
      parse({ clusterName: '-bad', region: 'Oregon' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InfraConfigError);
    const message = (error as Error).message;
    expect(message).toContain('karpenter-infra.json');
    expect(message).toMatch(/clusterName: "-bad" is not valid; give the EKS cluster name/);
    expect(message).toMatch(/region: "Oregon" is not valid; give the AWS region of the cluster, e\.g\. "us-west-2"/);
    expect(message).toMatch(/identity: required; set \{"mode": "irsa"/);
  });

  it.each([
    [{ clusterName: 'x'.repeat(101) }, /^clusterName: .*1–100/],
    [{ identity: { mode: 'irsa' } }, /^identity\.oidcProviderArn: required for IRSA; give "arn:aws:iam::<account>:oidc-provider\//],
    [{ identity: { mode: 'irsa', oidcProviderArn: 'https://oidc.eks.us-west-2.amazonaws.com/id/ABC' } }, /^identity\.oidcProviderArn: .* is not an EKS OIDC provider ARN/],
    [{ identity: { mode: 'irsa', oidcProviderArn: OIDC_PROVIDER_ARN, createOidcProvider: true } }, /^identity: give either oidcProviderArn .* not both/],
    [{ identity: { mode: 'kiam' } }, /^identity\.mode: "kiam" is not valid; use "irsa" or "podIdentity"/],
    [{ nodeAccess: { mode: 'configMap' } }, /^nodeAccess\.mode: "configMap" is not valid; use "accessEntry" .* or "awsAuth"/],
    [{ interruptionQueueName: 'arn:aws:sqs:us-west-2:111122223333:q' }, /^interruptionQueueName: .* \(not a URL or ARN\)/],
    [{ nodeRoleName: 'r'.repeat(65) }, /^nodeRoleName: .* at most 64 characters/],
    [{ namespace: 'Karpenter' }, /^namespace: .*lower-case DNS label/],
    [{ serviceAccount: 'Bad_Name' }, /^serviceAccount: /],
    [{ clusterEndpoint: 'http://plain' }, /^clusterEndpoint: .*https:\/\//],
    [{ createNodeInstanceProfile: 'yes' }, /^createNodeInstanceProfile: must be true or false/],
    [{ chart: { releaseName: 'Karpenter' } }, /^chart\.releaseName: /],
    [{ chart: { values: [] } }, /^chart\.values: must be an object/],
    [{ chart: { installCrds: 'no' } }, /^chart\.installCrds: must be true or false/],
    [{ chart: { releaseName: 'r'.repeat(50) } }, /^chart\.releaseName: .*at most 49/],
    [{ chart: { repo: 'x' } }, /^chart\.repo: unknown field; remove it/],
    [{ tags: { 'aws:owner': 'me' } }, /^tags\.aws:owner: keys starting with "aws:" are reserved/],
    [{ tags: { team: 1 } }, /^tags\.team: must be a string/],
    [{ clustername: 'demo' }, /^clustername: unknown field; remove it/],
  ])('rejects %j', (overrides, expected) => {
    expect(problems(rawConfig(overrides))).toEqual([expect.stringMatching(expected)]);
  });

  it('rejects a configuration that is not an object', () => {
    expect(problems([])).toEqual(['the configuration must be a JSON object']);
  });
});
