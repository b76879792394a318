// Entry point of the controller: `npm run controller` from a checkout, or the container's command.
import 'reflect-metadata';
import { hostname } from 'node:os';
import { AwsCloudProvider, createAwsClients, type AwsClientOptions } from '@karpenter-ts/aws';
import { KubeClient, systemClock } from '@karpenter-ts/kube';
import { openLedger } from './ledger/index.js';
import { createOperator, type RunningOperator } from './operator/create-operator.js';
import { createLogger } from './operator/logger.js';
import { loadSettings, SettingsError } from './settings/settings.js';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings(process.env, hostname());
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`karpenter: ${err.message}\n`);
    process.exit(2);
  }
  const logger = createLogger(settings.logLevel);
  const kube = KubeClient.fromEnvironment();
  const version = await kube.request<{ major: string; minor: string }>('GET', '/version');
  const kubernetesVersion = `${version.major}.${version.minor.replace(/\D.*$/, '')}`;
  const clusterCABundle = kube.connection.ca?.toString('base64') ?? '';

  const ledger = await openLedger({ databaseUrl: settings.databaseUrl, sqlitePath: settings.ledgerPath });
  // The provider reads EC2NodeClasses through the operator's cache, which exists once the operator does.
  let running: RunningOperator | undefined;
  const cloudProvider = new AwsCloudProvider(createAwsClients({ region: settings.awsRegion, ...awsEndpoints(process.env) }), {
    region: settings.awsRegion,
    clusterName: settings.clusterName,
    clusterEndpoint: settings.clusterEndpoint ?? kube.server,
    clusterCABundle,
    kubernetesVersion,
    ssmParameterPrefix: process.env.AWS_SSM_PARAMETER_PREFIX,
    vmMemoryOverheadPercent: settings.vmMemoryOverheadPercent,
    nodeClass: async (name) => running?.operator.state.ec2NodeClasses.get(name),
    logger,
  });
  running = await createOperator({
    settings,
    clock: systemClock,
    logger,
    kube,
    cloudProvider,
    nodeClassResolver: { reconcile: (nc) => cloudProvider.reconcileNodeClass(nc), finalize: (nc) => cloudProvider.finalizeNodeClass(nc) },
    ledger,
  });
  const { app, operator } = running;

  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    const deadline = setTimeout(() => process.exit(code || 1), 20_000).unref();
    await operator.stop().catch((err) => logger.error({ err: String(err) }, 'unclean shutdown'));
    await app.close();
    kube.close();
    clearTimeout(deadline);
    logger.flush();
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  // Losing the lease means another replica may be acting: stop at once and let the restart campaign again.
  operator.onLeadershipLost(() => void stop('lost leader election', 1));
  const ports = await operator.start();
  logger.info({ ...ports, cluster: settings.clusterName, region: settings.awsRegion, kubernetesVersion }, 'karpenter started');
}

/** AWS_ENDPOINT_URL and the per-service AWS_ENDPOINT_URL_<SERVICE> (as the AWS SDKs read them), for VPC endpoints or local peers. */
function awsEndpoints(env: NodeJS.ProcessEnv): Pick<AwsClientOptions, 'endpoint' | 'endpoints'> {
  const services = ['ec2', 'iam', 'ssm', 'sqs', 'pricing'] as const;
  const endpoints = Object.fromEntries(services.map((s) => [s, env[`AWS_ENDPOINT_URL_${s.toUpperCase()}`]]).filter(([, url]) => url));
  return { endpoint: env.AWS_ENDPOINT_URL || undefined, endpoints };
}

main().catch((err: unknown) => {
  process.stderr.write(`karpenter: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
