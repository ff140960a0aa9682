import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '@careledger/fabric-toolkit';
import { z } from 'zod';
import type { DevnetOrganisation } from './devnet-crypto';
import {
  chaincodeNameSchema,
  channelNameSchema,
  loadNetworkConfig,
  type ChaincodeSetting,
  type NetworkConfig,
} from './network-config/network-config';
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Settings of `npm run devnet`, each from a flag or else an environment variable. */
export const devnetConfigSchema = z.object({
  dataDir: z
    .string()
    .min(1)
    .describe('--data-dir / DEVNET_DATA_DIR: crypto material, ledger and connection.json'),
  port: integer(0, 65535).describe('--port / DEVNET_PORT: gateway port (0 = any free port)'),
  host: z.string().min(1).describe('--host / DEVNET_HOST: interface the gateway listens on'),
  config: z
    .string()
    .optional()
    .describe(
      '--config / DEVNET_CONFIG: network configuration file (JSON or YAML): organisations, channel, chaincodes, collections',
    ),
  channel: channelNameSchema.describe('--channel / DEVNET_CHANNEL: the channel name'),
  chaincodeDir: z.string().min(1).describe('--chaincode / DEVNET_CHAINCODE: a Node chaincode directory'),
  chaincodeName: chaincodeNameSchema.describe(
    '--chaincode-name / DEVNET_CHAINCODE_NAME: the name clients address',
  ),
  chaincodeVersion: z
    .string()
    .min(1)
    .describe('--chaincode-version / DEVNET_CHAINCODE_VERSION: definition version'),
  policy: z
    .string()
    .min(1)
    .describe("--policy / DEVNET_POLICY: MAJORITY, ANY, ALL or e.g. OR('LabMSP.peer', …)"),
  batchSize: integer(1, 10_000).describe('--batch-size / DEVNET_BATCH_SIZE: most transactions per block'),
  batchTimeoutMs: integer(0, 60_000).describe(
    "--batch-timeout-ms / DEVNET_BATCH_TIMEOUT_MS: Fabric's BatchTimeout: a partial block is cut this long after its first transaction",
  ),
  preferredMaxBytes: integer(1024, 100 * 1024 * 1024).describe(
    "--preferred-max-bytes / DEVNET_PREFERRED_MAX_BYTES: Fabric's BatchSize.PreferredMaxBytes",
  ),
  absoluteMaxBytes: integer(1024, 100 * 1024 * 1024).describe(
    "--absolute-max-bytes / DEVNET_ABSOLUTE_MAX_BYTES: Fabric's BatchSize.AbsoluteMaxBytes (larger transactions are refused)",
  ),
  gatewayConcurrency: integer(0, 100_000).describe(
    "--gateway-concurrency / DEVNET_GATEWAY_CONCURRENCY: Fabric's peer.limits.concurrency.gatewayService: Gateway calls in flight at most (0 = no limit)",
  ),
  logLevel: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .describe('--log-level / LOG_LEVEL'),
});

type FlagSettings = z.infer<typeof devnetConfigSchema>;

/** The devnet's settings: flags, environment, configuration file and defaults, combined. */
export type DevnetConfig = Omit<
  FlagSettings,
  'chaincodeDir' | 'chaincodeName' | 'chaincodeVersion' | 'policy'
> & {
  /** The chaincodes to deploy; the first is the connection file's. */
  readonly chaincodes: readonly ChaincodeSetting[];
  /** The organisations, when the configuration file names them (else the application's). */
  readonly organisations?: readonly DevnetOrganisation[];
};

/** What an application's command presets; every flag still overrides it. */
export interface DevnetDefaults {
  readonly dataDir?: string;
  readonly chaincodeDir?: string;
  readonly chaincodeName?: string;
  readonly policy?: string;
  readonly channel?: string;
}

/** The usage text of a devnet command (`npm run devnet`, or an application's own). */
export function usageOf(command: string, defaults: DevnetDefaults = {}): string {
  const or = (value: string | undefined, fallback: string) => (value === undefined ? fallback : value);
  return `Usage: ${command} -- [options]

Starts the embedded Fabric network and writes <data-dir>/connection.json (and a common connection
profile per organisation, <data-dir>/connection-<org>.json).
Or: ${command} -- verify [--data-dir DIR] [--json] checks a stopped devnet's ledger (see verify --help).

  --data-dir DIR           data directory (default: ${or(defaults.dataDir, '.devnet in the current directory')})
  --port N                 gateway port (default 7051; 0 = any free port)
  --host HOST              listen address (default 127.0.0.1)
  --config FILE            network configuration file, JSON or YAML (organisations, channel,
                           chaincodes with policies and collections, batch settings); flags
                           override it, and the chaincode flags apply when it names none
  --channel NAME           channel name (default ${or(defaults.channel, 'healthchannel')})
  --chaincode DIR          Node chaincode directory, built if needed (default: ${or(defaults.chaincodeDir, 'none; required')})
  --chaincode-name NAME    chaincode name (default ${or(defaults.chaincodeName, 'the directory name')})
  --chaincode-version V    definition version (default 1.0)
  --policy EXPR            endorsement policy: MAJORITY, ANY, ALL or a signature policy (default
                           ${or(defaults.policy, 'MAJORITY')})
  --batch-size N           most transactions per block (Fabric's MaxMessageCount; default 500)
  --batch-timeout-ms N     a partial block is cut N ms after its first transaction (Fabric's
                           BatchTimeout; default 20 here, 2000 on Fabric)
  --preferred-max-bytes N  a block is cut before it passes N bytes (default 2097152)
  --absolute-max-bytes N   a larger transaction is refused at Submit (default 10485760)
  --gateway-concurrency N  Gateway calls in flight at most, one more refused at once (Fabric's
                           peer.limits.concurrency.gatewayService; default 500; 0 = no limit)
  --log-level LEVEL        pino level (default info)
  -h, --help               this help
`;
}

/**
 * Reads the devnet's settings from command-line flags, falling back to environment variables
 * and then to the defaults in `usage`.
 * @throws UsageError for an unknown flag or an invalid value.
 */
export function readDevnetConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  defaults: DevnetDefaults = {},
): DevnetConfig | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
        channel: { type: 'string' },
        chaincode: { type: 'string' },
        'chaincode-name': { type: 'string' },
        'chaincode-version': { type: 'string' },
        policy: { type: 'string' },
        'batch-size': { type: 'string' },
        'batch-timeout-ms': { type: 'string' },
        'preferred-max-bytes': { type: 'string' },
        'absolute-max-bytes': { type: 'string' },
        'log-level': { type: 'string' },
        'gateway-concurrency': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) return 'help';
  const flag = (name: string, variable: string): string | undefined =>
    (values[name] as string | undefined) ?? env[variable];
  // Relative paths are the caller's: `npm run` starts scripts in the package's directory and
  // says where it was called from in INIT_CWD.
  const callerDir = env.INIT_CWD ?? process.cwd();
  const configPath = flag('config', 'DEVNET_CONFIG');
  const file: NetworkConfig =
    configPath === undefined ? {} : loadNetworkConfig(resolve(callerDir, configPath));
  const pick = (
    name: string,
    variable: string,
    fromFile: string | number | undefined,
    fallback: string,
  ): string => flag(name, variable) ?? (fromFile === undefined ? fallback : String(fromFile));
  const chaincodeFlags = ['chaincode', 'chaincode-name', 'chaincode-version', 'policy'].filter(
    (name) => values[name] !== undefined,
  );
  if (file.chaincodes !== undefined && chaincodeFlags.length > 0) {
    throw new UsageError(
      `--${chaincodeFlags[0]} conflicts with the chaincodes of ${configPath}: change them there`,
    );
  }
  const chaincode = flag('chaincode', 'DEVNET_CHAINCODE') ?? defaults.chaincodeDir ?? '';
  if (file.chaincodes === undefined && chaincode === '')
    throw new UsageError(
      '--chaincode DIR is required (a Node chaincode directory), or a --config file naming chaincodes',
    );
  const chaincodeDir = chaincode === '' ? (file.chaincodes?.[0]?.dir ?? '') : resolve(callerDir, chaincode);
  const batch = file.batch ?? {};
  const parsed = devnetConfigSchema.safeParse({
    dataDir:
      file.dataDir !== undefined && flag('data-dir', 'DEVNET_DATA_DIR') === undefined
        ? file.dataDir
        : resolve(callerDir, pick('data-dir', 'DEVNET_DATA_DIR', undefined, defaults.dataDir ?? '.devnet')),
    port: pick('port', 'DEVNET_PORT', file.port, '7051'),
    host: pick('host', 'DEVNET_HOST', file.host, '127.0.0.1'),
    config: configPath,
    channel: pick('channel', 'DEVNET_CHANNEL', file.channel, defaults.channel ?? 'healthchannel'),
    chaincodeDir,
    chaincodeName: pick(
      'chaincode-name',
      'DEVNET_CHAINCODE_NAME',
      undefined,
      defaults.chaincodeName ?? (basename(chaincodeDir) || 'chaincode'),
    ),
    chaincodeVersion: pick('chaincode-version', 'DEVNET_CHAINCODE_VERSION', undefined, '1.0'),
    policy: pick('policy', 'DEVNET_POLICY', undefined, defaults.policy ?? 'MAJORITY'),
    batchSize: pick('batch-size', 'DEVNET_BATCH_SIZE', batch.maxMessageCount, '500'),
    batchTimeoutMs: pick('batch-timeout-ms', 'DEVNET_BATCH_TIMEOUT_MS', batch.batchTimeoutMs, '20'),
    preferredMaxBytes: pick(
      'preferred-max-bytes',
      'DEVNET_PREFERRED_MAX_BYTES',
      batch.preferredMaxBytes,
      String(2 * 1024 * 1024),
    ),
    absoluteMaxBytes: pick(
      'absolute-max-bytes',
      'DEVNET_ABSOLUTE_MAX_BYTES',
      batch.absoluteMaxBytes,
      String(10 * 1024 * 1024),
    ),
    gatewayConcurrency: pick('gateway-concurrency', 'DEVNET_GATEWAY_CONCURRENCY', undefined, '500'),
    logLevel: pick('log-level', 'LOG_LEVEL', undefined, 'info'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${issue?.path.join('.') ?? 'config'}: ${issue?.message ?? 'invalid'}`);
  }
  const { chaincodeDir: dir, chaincodeName: name, chaincodeVersion: version, policy, ...rest } = parsed.data;
  return {
    ...rest,
    chaincodes: file.chaincodes ?? [{ name, dir, version, policy }],
    ...(file.organisations === undefined
      ? {}
      : {
          organisations: file.organisations.map((o) => ({
            mspId: o.mspId,
            type: o.type,
            ...(o.users ? { users: o.users } : {}),
          })),
        }),
  };
}
