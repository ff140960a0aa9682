import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { loadConfig } from '@careledger/gateway-api';
import { oneOf, positiveInteger, positiveNumber } from '../cli/flag-values';
import { UsageError } from '@careledger/fabric-toolkit';
import type { BenchTarget, DriverSettings, Mode } from '../target/bench-target';
import { loadFabricTarget } from '../target/connection-file';
import { loadDevicesFile } from '../target/devices-file';
import { startEmbeddedTarget } from '../target/embedded-target';
import { modeRequirements, newExternalTarget } from '../target/external-target';
import { newNetworkProvisioner } from '../target/network-provisioner';

/** Flags shared by `bench` and `simulate` that choose what to run against. */
export const targetFlags = {
  url: { type: 'string' },
  'api-key': { type: 'string', multiple: true },
  auth: { type: 'string' },
  devices: { type: 'string' },
  provision: { type: 'boolean' },
  'api-key-store': { type: 'string' },
  provisioner: { type: 'string' },
  connection: { type: 'string' },
  connections: { type: 'string' },
  timeout: { type: 'string' },
  'server-node-arg': { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

export const targetUsage = `Target (default: start the embedded network and gateway for the run):
  --url URL             REST gateway to measure (e.g. http://127.0.0.1:3000)
  --api-key KEY         API key(s), repeatable or comma-separated; used when no --devices is given
  --auth SCHEME         how the key is sent: bearer (Authorization: Bearer, default) or x-api-key
  --devices FILE        JSON [{deviceId, patientId, apiKey?, mspId?, certificatePath?, privateKeyPath?}]
                        (the signed mode needs apiKey and the identity of every device)
  --connection FILE     connection file of a Fabric network, for the direct mode
  --provision           with --url and --connection (the file the gateway watches): make the devices
                        the rounds need — an identity each (Fabric CA on a network.sh --ca network,
                        else the project's certificate tooling), added to the connection file, an
                        API key each in --api-key-store, a patient each registered and the device
                        bound to it by --provisioner — and keep them in --devices FILE (default
                        bench-devices.json beside the connection file; a later run reuses them)
  --api-key-store FILE  the gateway's API-key store (default as npm run apikey: $API_KEYS_FILE or
                        <CARELEDGER_DATA_DIR>/api-keys.json, i.e. .careledger/api-keys.json)
  --provisioner NAME    connection-file identity that registers the devices (default hospitala-nurse)
  --connections N       sockets in the REST client pool (default 256)
  --timeout S           per-request timeout in seconds (default 30)
  --server-node-arg F   a Node.js flag for the embedded network and gateway processes, repeatable
                        (e.g. --max-old-space-size=512: less memory, more GC pauses)`;

export interface TargetValues {
  url?: string;
  'api-key'?: string[];
  auth?: string;
  devices?: string;
  provision?: boolean;
  'api-key-store'?: string;
  provisioner?: string;
  connection?: string;
  connections?: string;
  timeout?: string;
  'server-node-arg'?: string[];
}

export function driverSettings(values: TargetValues): DriverSettings {
  return {
    connections: positiveInteger('connections', values.connections, 256),
    timeoutMs: positiveNumber('timeout', values.timeout, 30) * 1000,
  };
}

/** True when no URL or connection file was given: the run starts its own network. */
export function wantsEmbedded(values: TargetValues): boolean {
  return values.url === undefined && values.connection === undefined;
}

/**
 * Opens the target the flags describe: an existing gateway / network, or (no --url, no
 * --connection) the embedded network and gateway started for this run.
 * @throws UsageError on contradictory flags.
 */
export async function openTarget(
  values: TargetValues,
  log: (message: string) => void,
  embedded: { readonly serverLogStem?: string } = {},
): Promise<BenchTarget> {
  const authScheme = oneOf('auth', values.auth, ['bearer', 'x-api-key'], 'bearer');
  const apiKeys = (values['api-key'] ?? []).flatMap((k) => k.split(',')).filter((k) => k !== '');
  if (wantsEmbedded(values)) {
    if (values.devices || apiKeys.length > 0)
      throw new UsageError('--devices and --api-key need --url or --connection');
    return startEmbeddedTarget({ log, serverNodeArgs: values['server-node-arg'] ?? [], ...embedded });
  }
  if (values['server-node-arg'] !== undefined)
    throw new UsageError(
      '--server-node-arg applies to the embedded network only (no --url, no --connection)',
    );
  if (values.url !== undefined) {
    try {
      new URL(values.url);
    } catch {
      throw new UsageError(`--url is not a URL: '${values.url}'`);
    }
  }
  if (values.provision === true) return openProvisionedTarget(values, authScheme, apiKeys, log);
  if (values['api-key-store'] !== undefined || values.provisioner !== undefined)
    throw new UsageError('--api-key-store and --provisioner go with --provision');
  if (values.url !== undefined && !values.devices && apiKeys.length === 0) {
    throw new UsageError('--url needs --api-key, --devices or --provision');
  }
  const devices = values.devices ? await loadDevicesFile(values.devices) : undefined;
  if (!devices && apiKeys.length > 0) {
    log(
      `no --devices: readings use generated device/patient ids and ${apiKeys.length} API key(s) shared by all users`,
    );
  }
  const fabric = values.connection ? await loadFabricTarget(values.connection) : undefined;
  return newExternalTarget({
    ...(values.url !== undefined ? { url: values.url } : {}),
    ...(apiKeys.length > 0 ? { apiKeys } : {}),
    ...(devices ? { devices } : {}),
    ...(fabric ? { fabric } : {}),
    authScheme,
    log,
  });
}

/** `--provision`: an existing gateway and network whose devices this run makes (or reuses). */
async function openProvisionedTarget(
  values: TargetValues,
  authScheme: 'bearer' | 'x-api-key',
  apiKeys: readonly string[],
  log: (message: string) => void,
): Promise<BenchTarget> {
  if (values.url === undefined || values.connection === undefined)
    throw new UsageError(
      '--provision needs --url (the running gateway) and --connection (the file it watches)',
    );
  if (apiKeys.length > 0)
    throw new UsageError('--provision makes an API key per device: leave out --api-key');
  const connectionFile = path.resolve(values.connection);
  const config = loadConfig(process.env);
  const provisioner = newNetworkProvisioner({
    url: values.url,
    connectionFile,
    apiKeyStore: path.resolve(
      values['api-key-store'] ??
        config.API_KEYS_FILE ??
        path.join(config.CARELEDGER_DATA_DIR, 'api-keys.json'),
    ),
    devicesFile: path.resolve(
      values.devices ?? path.join(path.dirname(connectionFile), 'bench-devices.json'),
    ),
    provisioner: values.provisioner ?? 'hospitala-nurse',
    authScheme,
    log,
  });
  return newExternalTarget({
    url: values.url,
    fabric: await loadFabricTarget(connectionFile),
    provisioner,
    authScheme,
    log,
  });
}

/** What `--mode` takes: one mode, `both` (rest and direct) or `all`. */
export const modeChoices = ['rest', 'direct', 'signed', 'both', 'all'] as const;
export type ModeChoice = (typeof modeChoices)[number];

/**
 * The modes to run, in the target's order: `both` means rest and direct (those of the two the
 * target serves: the REST/direct comparison), `all` every mode the target serves.
 * @throws UsageError when the target serves none of them.
 */
export function resolveModes(requested: ModeChoice, target: BenchTarget): Mode[] {
  const wanted: readonly Mode[] =
    requested === 'all' ? target.modes : requested === 'both' ? ['rest', 'direct'] : [requested];
  const modes = target.modes.filter((m) => wanted.includes(m));
  if (modes.length === 0) {
    const needs = wanted.map((m) => `${m}: ${modeRequirements[m]}`).join('; ');
    throw new UsageError(`--mode ${requested} is not available against ${target.description} (${needs})`);
  }
  return modes;
}
