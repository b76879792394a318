// The one input of the infra app: a typed configuration, validated with errors that name the
// field and say how to fix it. Everything below the stack takes a parsed `InfraConfig`.

/** How the controller's pods get AWS credentials. */
export type ControllerIdentity =
  /** IRSA through an OIDC provider that already exists for the cluster. */
  | { mode: 'irsa'; oidcProviderArn: string }
  /** IRSA, creating the cluster's OIDC provider from its issuer URL. */
  | { mode: 'irsa'; createOidcProvider: true }
  /** EKS Pod Identity (the eks-pod-identity-agent add-on must be installed). */
  | { mode: 'podIdentity' };

/** How nodes launched with the node role are allowed to join the cluster. */
export type NodeAccess =
  /** An EKS access entry of type EC2_LINUX (cluster authentication mode API or API_AND_CONFIG_MAP). */
  | { mode: 'accessEntry' }
  /** An entry merged into the `mapRoles` of the `kube-system/aws-auth` ConfigMap. */
  | { mode: 'awsAuth' };

export interface ChartConfig {
  /** Path of the controller chart; defaults to this repository's `apps/controller/chart`. */
  path: string;
  /** Path of the CRD chart; defaults to this repository's `apps/controller/chart/karpenter-ts-crd`. */
  crdPath: string;
  /** Install the CRD chart (as release `<releaseName>-crd`) before the controller; false when CRDs are managed elsewhere. */
  installCrds: boolean;
  /** Helm release name. */
  releaseName: string;
  /** Extra chart values, applied under the values this app sets (cluster, queue, service account). */
  values: Record<string, unknown>;
}

export interface InfraConfig {
  /** Name of the existing EKS cluster. */
  clusterName: string;
  /** AWS region of the cluster, e.g. `us-west-2`. */
  region: string;
  /** API server endpoint; read from EKS when not given. */
  clusterEndpoint?: string;
  identity: ControllerIdentity;
  nodeAccess: NodeAccess;
  /** Namespace of the controller (the Helm release). */
  namespace: string;
  /** Service account of the controller; IRSA and Pod Identity are bound to it. */
  serviceAccount: string;
  /** Node role name, used as `spec.role` in EC2NodeClasses; derived from the cluster name when not given. */
  nodeRoleName?: string;
  /** Also create an instance profile for the node role (for EC2NodeClasses that set `instanceProfile`). */
  createNodeInstanceProfile: boolean;
  /** Name of the interruption queue; derived from the cluster name when not given. */
  interruptionQueueName?: string;
  chart: ChartConfig;
  /** Tags added to every AWS resource this app creates. */
  tags: Record<string, string>;
}

export class InfraConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid infra configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InfraConfigError';
  }
}

// EKS: 1–100 characters, starting with a letter or digit, then letters, digits, '-' and '_'.
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const SQS_QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Za-z0-9]+$/;
// Helm allows 53 characters; the CRD release adds "-crd".
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]{0,47}[a-z0-9])?$/;

const KNOWN_KEYS = [
  'clusterName', 'region', 'clusterEndpoint', 'identity', 'nodeAccess', 'namespace', 'serviceAccount',
  'nodeRoleName', 'createNodeInstanceProfile', 'interruptionQueueName', 'chart', 'tags',
];

/**
 * Validates a raw configuration (e.g. parsed JSON) and fills in defaults.
 *
 * ```ts
 * const config = parseInfraConfig(JSON.parse(readFileSync(file, 'utf8')), file, { chartPath, crdChartPath });
 * ```
 * @throws InfraConfigError listing every problem, each naming the field and the fix.
 */
export function parseInfraConfig(raw: unknown, source: string, defaults: ChartDefaults): InfraConfig {
  const problems: string[] = [];
  const fail = (field: string, message: string) => problems.push(`${field}: ${message}`);
  if (!isObject(raw)) throw new InfraConfigError(source, ['the configuration must be a JSON object']);

  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) fail(key, `unknown field; remove it (known fields: ${KNOWN_KEYS.join(', ')})`);
  }

  const str = (field: string, pattern: RegExp, fix: string, fallback?: string): string => {
    const value = raw[field] ?? fallback;
    if (typeof value !== 'string' || !pattern.test(value)) {
      fail(field, `${value === undefined ? 'required' : `${JSON.stringify(value)} is not valid`}; ${fix}`);
      return '';
    }
    return value;
  };
  const optionalStr = (field: string, pattern: RegExp, fix: string): string | undefined =>
    raw[field] === undefined ? undefined : str(field, pattern, fix);

  const clusterName = str('clusterName', CLUSTER_NAME,
    'give the EKS cluster name (1–100 letters, digits, "-" or "_", starting with a letter or digit)');
  const region = str('region', REGION, 'give the AWS region of the cluster, e.g. "us-west-2"');
  const clusterEndpoint = optionalStr('clusterEndpoint', /^https:\/\/[^\s/]+$/,
    'give the API server URL, e.g. "https://ABCD.gr7.us-west-2.eks.amazonaws.com", or leave it out to read it from EKS');
  const namespace = str('namespace', DNS_LABEL, 'give a Kubernetes namespace name (lower-case DNS label)', 'kube-system');
  const serviceAccount = str('serviceAccount', DNS_SUBDOMAIN,
    'give a Kubernetes service account name (lower-case DNS subdomain)', 'karpenter');
  const nodeRoleName = optionalStr('nodeRoleName', IAM_ROLE_NAME,
    'give an IAM role name of at most 64 characters (letters, digits and +=,.@_-), or leave it out for the default');
  const interruptionQueueName = optionalStr('interruptionQueueName', SQS_QUEUE_NAME,
    'give an SQS queue name (not a URL or ARN) of at most 80 letters, digits, "-" or "_", or leave it out for the default');

  const createNodeInstanceProfile = raw.createNodeInstanceProfile ?? false;
  if (typeof createNodeInstanceProfile !== 'boolean') fail('createNodeInstanceProfile', 'must be true or false');

  const identity = parseIdentity(raw.identity, fail);
  const nodeAccess = parseNodeAccess(raw.nodeAccess, fail);
  const chart = parseChart(raw.chart, defaults, fail);
  const tags = parseTags(raw.tags, fail);

  if (problems.length > 0) throw new InfraConfigError(source, problems);
  return {
    clusterName, region, clusterEndpoint, identity, nodeAccess, namespace, serviceAccount, nodeRoleName,
    createNodeInstanceProfile: createNodeInstanceProfile as boolean, interruptionQueueName, chart, tags,
  };
}

/** Where the charts are when the configuration does not say. */
export interface ChartDefaults {
  chartPath: string;
  crdChartPath: string;
}

type Fail = (field: string, message: string) => void;

function parseIdentity(raw: unknown, fail: Fail): ControllerIdentity {
  const fix = 'set {"mode": "irsa", "oidcProviderArn": "<ARN>"}, {"mode": "irsa", "createOidcProvider": true} or {"mode": "podIdentity"}';
  if (!isObject(raw)) {
    fail('identity', `${raw === undefined ? 'required' : 'must be an object'}; ${fix}`);
    return { mode: 'podIdentity' };
  }
  if (raw.mode === 'podIdentity') {
    rejectExtraKeys('identity', raw, ['mode'], fail);
    return { mode: 'podIdentity' };
  }
  if (raw.mode !== 'irsa') {
    fail('identity.mode', `${JSON.stringify(raw.mode)} is not valid; use "irsa" or "podIdentity"`);
    return { mode: 'podIdentity' };
  }
  rejectExtraKeys('identity', raw, ['mode', 'oidcProviderArn', 'createOidcProvider'], fail);
  if (raw.createOidcProvider === true) {
    if (raw.oidcProviderArn !== undefined) {
      fail('identity', 'give either oidcProviderArn (an existing provider) or createOidcProvider: true, not both');
    }
    return { mode: 'irsa', createOidcProvider: true };
  }
  if (typeof raw.oidcProviderArn !== 'string' || !OIDC_PROVIDER_ARN.test(raw.oidcProviderArn)) {
    fail('identity.oidcProviderArn',
      `${raw.oidcProviderArn === undefined ? 'required for IRSA' : `${JSON.stringify(raw.oidcProviderArn)} is not an EKS OIDC provider ARN`}; ` +
        'give "arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>" or set "createOidcProvider": true');
    return { mode: 'irsa', createOidcProvider: true };
  }
  return { mode: 'irsa', oidcProviderArn: raw.oidcProviderArn };
}

function parseNodeAccess(raw: unknown, fail: Fail): NodeAccess {
  const value = raw ?? { mode: 'accessEntry' };
  if (!isObject(value) || (value.mode !== 'accessEntry' && value.mode !== 'awsAuth')) {
    fail('nodeAccess.mode', `${JSON.stringify(isObject(value) ? value.mode : value)} is not valid; ` +
      'use "accessEntry" (EKS access entry, clusters in API or API_AND_CONFIG_MAP mode) or "awsAuth" (aws-auth ConfigMap)');
    return { mode: 'accessEntry' };
  }
  rejectExtraKeys('nodeAccess', value, ['mode'], fail);
  return { mode: value.mode };
}

function parseChart(raw: unknown, defaults: ChartDefaults, fail: Fail): ChartConfig {
  const value = raw ?? {};
  const chart: ChartConfig = { path: defaults.chartPath, crdPath: defaults.crdChartPath, installCrds: true, releaseName: 'karpenter', values: {} };
  if (!isObject(value)) {
    fail('chart', 'must be an object with optional path, crdPath, installCrds, releaseName and values');
    return chart;
  }
  rejectExtraKeys('chart', value, ['path', 'crdPath', 'installCrds', 'releaseName', 'values'], fail);
  for (const key of ['path', 'crdPath'] as const) {
    if (value[key] === undefined) continue;
    if (typeof value[key] !== 'string' || value[key] === '') fail(`chart.${key}`, 'must be a non-empty path to a chart directory');
    else chart[key] = value[key];
  }
  if (value.installCrds !== undefined) {
    if (typeof value.installCrds !== 'boolean') fail('chart.installCrds', 'must be true or false');
    else chart.installCrds = value.installCrds;
  }
  if (value.releaseName !== undefined) {
    if (typeof value.releaseName !== 'string' || !RELEASE_NAME.test(value.releaseName)) {
      fail('chart.releaseName', `${JSON.stringify(value.releaseName)} is not valid; give a lower-case DNS label of at most 49 characters`);
    } else chart.releaseName = value.releaseName;
  }
  if (value.values !== undefined) {
    if (!isObject(value.values)) fail('chart.values', 'must be an object of chart values');
    else chart.values = value.values;
  }
  return chart;
}

function parseTags(raw: unknown, fail: Fail): Record<string, string> {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    fail('tags', 'must be an object of string tag values, e.g. {"team": "platform"}');
    return {};
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') fail(`tags.${key}`, 'must be a string');
    else if (key.length > 128 || value.length > 256) fail(`tags.${key}`, 'AWS allows keys of at most 128 and values of at most 256 characters');
    else if (key.startsWith('aws:')) fail(`tags.${key}`, 'keys starting with "aws:" are reserved by AWS; rename the tag');
    else tags[key] = value;
  }
  return tags;
}

function rejectExtraKeys(field: string, raw: Record<string, unknown>, known: string[], fail: Fail): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) fail(`${field}.${key}`, `unknown field; remove it (known: ${known.join(', ')})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
