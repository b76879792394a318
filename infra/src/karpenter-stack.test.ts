import { describe, expect, it } from 'vitest';
import { CHART_PATH, config, CRD_CHART_PATH, OIDC_ISSUER, OIDC_PROVIDER_ARN, synth } from '../test/synth.js';
import { INTERRUPTION_EVENT_PATTERNS } from './interruption-queue.js';
import { INTERRUPTION_EVENT_KINDS, NAME_LIMITS, POLICY_CONCERNS } from './names.js';
import { NODE_MANAGED_POLICIES } from './node-role.js';

const PARTITION = '${data.aws_partition.partition.partition}';
const DNS_SUFFIX = '${data.aws_partition.partition.dns_suffix}';
const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';

const irsa = synth(config());
const roleByName = (stack: ReturnType<typeof synth>, name: string) => stack.resources('aws_iam_role').find((r) => r.name === name)!;
const parsed = (value: unknown) => JSON.parse(value as string);

describe('node role', () => {
  const role = roleByName(irsa, 'KarpenterNodeRole-demo');

  it('is trusted by EC2 only', () => {
    expect(parsed(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'EC2AssumesNodeRole', Effect: 'Allow', Principal: { Service: `ec2.${DNS_SUFFIX}` }, Action: 'sts:AssumeRole' }],
    });
  });

  it('has the four managed policies of an EKS node', () => {
    const attached = irsa.resources('aws_iam_role_policy_attachment').filter((a) => String(a.role).includes('node-role'));
    expect(attached.map((a) => a.policy_arn).sort()).toEqual(NODE_MANAGED_POLICIES.map((p) => `arn:${PARTITION}:iam::aws:policy/${p}`).sort());
    expect(NODE_MANAGED_POLICIES).toEqual(['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore']);
  });

  it('gets an instance profile of the same name only when asked', () => {
    expect(irsa.json.resource.aws_iam_instance_profile).toBeUndefined();
    const withProfile = synth(config({ createNodeInstanceProfile: true }));
    expect(withProfile.resource('aws_iam_instance_profile')).toMatchObject({ name: 'KarpenterNodeRole-demo' });
    expect(withProfile.json.output.node_instance_profile_name).toBeDefined();
  });
});

describe('controller role', () => {
  it('with IRSA trusts exactly the chart service account through the existing OIDC provider', () => {
    const role = roleByName(irsa, 'KarpenterController-demo');
    expect(parsed(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ControllerServiceAccountAssumesRole',
          Effect: 'Allow',
          Principal: { Federated: OIDC_PROVIDER_ARN },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${OIDC_ISSUER}:aud`]: 'sts.amazonaws.com',
              [`${OIDC_ISSUER}:sub`]: 'system:serviceaccount:kube-system:karpenter',
            },
          },
        },
      ],
    });
    expect(irsa.json.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(irsa.json.resource.aws_eks_pod_identity_association).toBeUndefined();
  });

  it('with IRSA can create the OIDC provider from the cluster issuer', () => {
    const stack = synth(config({ identity: { mode: 'irsa', createOidcProvider: true }, namespace: 'karpenter', serviceAccount: 'controller' }));
    const issuerUrl = '${data.aws_eks_cluster.cluster.identity[0].oidc[0].issuer}';
    expect(stack.resource('aws_iam_openid_connect_provider')).toMatchObject({ url: issuerUrl, client_id_list: ['sts.amazonaws.com'] });
    const [[local, expression]] = Object.entries(stack.json.locals);
    const issuer = `\${local.${local}}`;
    expect([expression]).toEqual(['${replace(data.aws_eks_cluster.cluster.identity[0].oidc[0].issuer, "https://", "")}']);
    expect(parsed(roleByName(stack, 'KarpenterController-demo').assume_role_policy).Statement).toEqual([
      {
        Sid: 'ControllerServiceAccountAssumesRole',
        Effect: 'Allow',
        Principal: { Federated: `\${${stack.address('aws_iam_openid_connect_provider')}.arn}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: 'system:serviceaccount:karpenter:controller' },
        },
      },
    ]);
  });

  it('with Pod Identity trusts the EKS auth service for this cluster, namespace and service account, and is associated', () => {
    const stack = synth(config({ identity: { mode: 'podIdentity' } }));
    const role = roleByName(stack, 'KarpenterController-demo');
    expect(parsed(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ControllerPodIdentityAssumesRole',
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:RequestTag/eks-cluster-name': 'demo',
              'aws:RequestTag/kubernetes-namespace': 'kube-system',
              'aws:RequestTag/kubernetes-service-account': 'karpenter',
            },
          },
        },
      ],
    });
    const roleAddress = Object.entries(stack.json.resource.aws_iam_role!).find(([, r]) => r === role)![0];
    expect(stack.resource('aws_eks_pod_identity_association')).toMatchObject({
      cluster_name: 'demo',
      namespace: 'kube-system',
      service_account: 'karpenter',
      role_arn: `\${aws_iam_role.${roleAddress}.arn}`,
      disable_session_tags: false,
    });
    const release = Object.entries(stack.json.resource.helm_release!).find(([, r]) => r.name === 'karpenter')![1];
    expect(release.depends_on).toContain(stack.address('aws_eks_pod_identity_association'));
  });

  it('has one managed policy per concern, all attached, matching the policy documents', () => {
    const policies = irsa.resources('aws_iam_policy');
    expect(policies.map((p) => p.name).sort()).toEqual(POLICY_CONCERNS.map((c) => `KarpenterController${c}-demo`).sort());
    const attachments = irsa.resources('aws_iam_role_policy_attachment').filter((a) => String(a.role).includes('controller-role'));
    expect(attachments).toHaveLength(POLICY_CONCERNS.length);
    const nodeLifecycle = parsed(policies.find((p) => p.name === 'KarpenterControllerNodeLifecycle-demo')!.policy);
    const terminate = nodeLifecycle.Statement.find((s: { Sid: string }) => s.Sid === 'TerminateClusterInstances');
    expect(terminate.Resource).toBe(`arn:${PARTITION}:ec2:us-west-2:${ACCOUNT}:instance/*`);
  });
});

describe('node access', () => {
  it('is an EC2_LINUX access entry for the node role', () => {
    const node = Object.keys(irsa.json.resource.aws_iam_role!).find((id) => id.startsWith('node-role'))!;
    expect(irsa.resource('aws_eks_access_entry')).toMatchObject({ cluster_name: '${data.aws_eks_cluster.cluster.name}', type: 'EC2_LINUX', principal_arn: `\${aws_iam_role.${node}.arn}` });
    expect(irsa.json.resource.kubernetes_config_map_v1_data).toBeUndefined();
  });

  it('or an entry merged into the existing aws-auth mapRoles, owned by a named field manager', () => {
    const stack = synth(config({ nodeAccess: { mode: 'awsAuth' } }));
    expect(stack.json.resource.aws_eks_access_entry).toBeUndefined();
    const existing = Object.entries(stack.json.data.kubernetes_config_map_v1!);
    expect(existing).toHaveLength(1);
    expect(existing[0]![1].metadata).toEqual({ name: 'aws-auth', namespace: 'kube-system' });
    expect(stack.address('kubernetes_config_map_v1_data')).toBe('kubernetes_config_map_v1_data.karpenter_node_role_aws_auth');
    const awsAuth = stack.resource('kubernetes_config_map_v1_data');
    expect(awsAuth).toMatchObject({ metadata: { name: 'aws-auth', namespace: 'kube-system' }, force: true, field_manager: 'karpenter-ts-infra' });
    const mapRoles = (awsAuth.data as Record<string, string>).mapRoles!;
    expect(Object.keys(awsAuth.data as object)).toEqual(['mapRoles']);
    expect(mapRoles).toContain(`data.kubernetes_config_map_v1.${existing[0]![0]}.data`);
    expect(mapRoles).toMatch(/aws_iam_role\.node-role_\w+\.arn/);
  });
});

describe('interruption queue', () => {
  const queue = irsa.resource('aws_sqs_queue');

  it('keeps messages 5 minutes, encrypted', () => {
    expect(queue).toMatchObject({ name: 'Karpenter-demo', message_retention_seconds: 300, sqs_managed_sse_enabled: true });
  });

  it('accepts only EventBridge messages from its rules and denies requests without TLS', () => {
    const policy = irsa.resource('aws_sqs_queue_policy');
    const queueAddress = irsa.address('aws_sqs_queue');
    expect(policy.queue_url).toBe(`\${${queueAddress}.url}`);
    const rules = Object.keys(irsa.json.resource.aws_cloudwatch_event_rule!).map((id) => `\${aws_cloudwatch_event_rule.${id}.arn}`);
    expect(parsed(policy.policy).Statement).toEqual([
      {
        Sid: 'EventBridgeSendsInterruptionEvents',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: `\${${queueAddress}.arn}`,
        Condition: { ArnEquals: { 'aws:SourceArn': expect.arrayContaining(rules) } },
      },
      {
        Sid: 'DenyNonTLS',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:*',
        Resource: `\${${queueAddress}.arn}`,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('is fed by one EventBridge rule per interruption event kind', () => {
    const rules = INTERRUPTION_EVENT_KINDS.map((kind) => irsa.resources('aws_cloudwatch_event_rule').find((r) => r.name === `Karpenter-demo-${kind}`)!);
    expect(rules.every(Boolean)).toBe(true);
    expect(rules.map((r) => parsed(r.event_pattern)['detail-type'][0])).toEqual([
      'EC2 Spot Instance Interruption Warning',
      'EC2 Instance Rebalance Recommendation',
      'AWS Health Event',
      'EC2 Instance State-change Notification',
    ]);
    expect(parsed(rules[3]!.event_pattern)).toEqual(INTERRUPTION_EVENT_PATTERNS.InstanceStateChange);
    const targets = irsa.resources('aws_cloudwatch_event_target');
    expect(targets).toHaveLength(4);
    for (const target of targets) expect(target.arn).toBe(`\${${irsa.address('aws_sqs_queue')}.arn}`);
  });
});

describe('controller release', () => {
  const release = irsa.resources('helm_release').find((r) => r.name === 'karpenter')!;
  const crds = irsa.resources('helm_release').find((r) => r.name === 'karpenter-crd')!;

  it('installs the CRD chart, then the controller chart of this repository, after everything it needs', () => {
    expect(crds).toMatchObject({ chart: CRD_CHART_PATH, namespace: 'kube-system', atomic: true, wait: true });
    expect(release).toMatchObject({ chart: CHART_PATH, namespace: 'kube-system', atomic: true, wait: true });
    const crdAddress = `helm_release.${Object.entries(irsa.json.resource.helm_release!).find(([, r]) => r === crds)![0]}`;
    expect(release.depends_on).toEqual(
      expect.arrayContaining([irsa.address('aws_eks_access_entry'), irsa.address('aws_sqs_queue_policy'), crdAddress]),
    );
    const attachments = Object.keys(irsa.json.resource.aws_iam_role_policy_attachment!).filter((id) => id.startsWith('controller-role'));
    expect(release.depends_on).toEqual(expect.arrayContaining(attachments.map((id) => `aws_iam_role_policy_attachment.${id}`)));
  });

  it('leaves the CRDs alone when they are managed elsewhere', () => {
    const stack = synth(config({ chart: { installCrds: false } }));
    expect(stack.resource('helm_release').name).toBe('karpenter');
  });

  it('sets the cluster, endpoint, queue and IRSA annotation over the user values', () => {
    const controllerRole = Object.keys(irsa.json.resource.aws_iam_role!).find((id) => id.startsWith('controller-role'))!;
    const values = (release.values as string[]).map((v) => JSON.parse(v));
    expect(values).toEqual([
      {},
      {
        settings: {
          clusterName: 'demo',
          clusterEndpoint: '${data.aws_eks_cluster.cluster.endpoint}',
          awsRegion: 'us-west-2',
          interruptionQueue: 'Karpenter-demo',
        },
        serviceAccount: { name: 'karpenter', annotations: { 'eks.amazonaws.com/role-arn': `\${aws_iam_role.${controllerRole}.arn}` } },
      },
    ]);
  });

  it('uses a given endpoint, passes user values first and has no IRSA annotation with Pod Identity', () => {
    const stack = synth(
      config({ identity: { mode: 'podIdentity' }, clusterEndpoint: 'https://ABC.gr7.us-west-2.eks.amazonaws.com', chart: { values: { replicas: 3 } } }),
    );
    const values = (stack.resources('helm_release').find((r) => r.name === 'karpenter')!.values as string[]).map((v) => JSON.parse(v));
    expect(values[0]).toEqual({ replicas: 3 });
    expect(values[1].settings.clusterEndpoint).toBe('https://ABC.gr7.us-west-2.eks.amazonaws.com');
    expect(values[1].serviceAccount.annotations).toEqual({});
    expect(stack.json.provider.kubernetes![0]).toMatchObject({ host: 'https://ABC.gr7.us-west-2.eks.amazonaws.com' });
  });
});

describe('stack', () => {
  it('configures the AWS, Kubernetes and Helm providers for the cluster', () => {
    expect(Object.keys(irsa.json.terraform.required_providers).sort()).toEqual(['aws', 'helm', 'kubernetes']);
    expect(irsa.json.provider.aws![0]).toEqual({ region: 'us-west-2' });
    const access = {
      host: '${data.aws_eks_cluster.cluster.endpoint}',
      cluster_ca_certificate: '${base64decode(data.aws_eks_cluster.cluster.certificate_authority[0].data)}',
      token: '${data.aws_eks_cluster_auth.cluster-auth.token}',
    };
    expect(irsa.json.provider.kubernetes![0]).toEqual(access);
    expect(irsa.json.provider.helm![0]).toEqual({ kubernetes: access });
    const tagged = synth(config({ tags: { team: 'platform' } }));
    expect(tagged.json.provider.aws![0]).toEqual({ region: 'us-west-2', default_tags: [{ tags: { team: 'platform' } }] });
  });

  it('outputs the role ARNs, the queue and everything the chart needs', () => {
    expect(Object.keys(irsa.json.output).sort()).toEqual([
      'aws_region', 'cluster_endpoint', 'cluster_name', 'controller_role_arn', 'helm_release_name', 'identity_mode',
      'interruption_queue_arn', 'interruption_queue_name', 'interruption_queue_url', 'namespace', 'node_role_arn', 'node_role_name',
      'service_account',
    ]);
    expect(irsa.json.output.cluster_name!.value).toBe('demo');
    expect(irsa.json.output.interruption_queue_name!.value).toBe(`\${${irsa.address('aws_sqs_queue')}.name}`);
  });

  it('keeps every name and policy within AWS limits for a 100-character cluster name', () => {
    const stack = synth(config({ clusterName: 'k'.repeat(100), identity: { mode: 'podIdentity' } }));
    for (const role of stack.resources('aws_iam_role')) expect((role.name as string).length).toBeLessThanOrEqual(NAME_LIMITS.iamRole);
    for (const rule of stack.resources('aws_cloudwatch_event_rule')) expect((rule.name as string).length).toBeLessThanOrEqual(NAME_LIMITS.eventBridgeRule);
    expect((stack.resource('aws_sqs_queue').name as string).length).toBeLessThanOrEqual(NAME_LIMITS.sqsQueue);
    for (const policy of stack.resources('aws_iam_policy')) {
      expect((policy.name as string).length).toBeLessThanOrEqual(NAME_LIMITS.iamPolicy);
      // Unresolved references are longer than the partition and account they stand for, so this bounds the real size.
      expect(JSON.stringify(JSON.parse(policy.policy as string)).length).toBeLessThan(6144 * 0.8);
    }
  });
});
