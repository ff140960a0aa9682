import { join } from 'node:path';
import { loadConnectionFile, type Devnet } from '@careledger/devnet';
import pino from 'pino';
import { loadConfig } from './config';
import { ensureDemoKeys } from './demo-keys';
import { startEmbeddedNetwork } from './embedded-network';
import { startGateway } from './gateway-server';

function examples(url: string, keys: Record<string, string>): string {
  const nurse = keys['hospitala-nurse'] ?? '<API key>';
  const device = keys['hospitala-device'] ?? '<API key>';
  const doctor = keys['hospitala-doctor'] ?? '<API key>';
  const json = "-H 'Content-Type: application/json'";
  return [
    '# Register a patient (demographics go to Hospital A’s private collection only):',
    `curl -s ${url}/api/v1/patients -H 'X-API-Key: ${nurse}' ${json} -d '{"patientId":"patient-1","demographics":{"name":"Ada Example","birthDate":"1980-02-03","sex":"female"}}'`,
    '# Register the demo device, bound to the patient:',
    `curl -s ${url}/api/v1/devices -H 'X-API-Key: ${nurse}' ${json} -d '{"deviceId":"hospitala-device-1","type":"pulse-oximeter","patientId":"patient-1"}'`,
    '# Stream a reading as the device (an abnormal one raises a VitalAbnormal event):',
    `curl -s ${url}/api/v1/vitals -H 'X-API-Key: ${device}' ${json} -d '{"readingId":"r-1","patientId":"patient-1","type":"heartRate","value":135,"unit":"/min","observedAt":"'$(date -u +%Y-%m-%dT%H:%M:%SZ)'"}'`,
    '# Read the vitals as a doctor, and follow alerts:',
    `curl -s '${url}/api/v1/patients/patient-1/vitals?pageSize=10' -H 'X-API-Key: ${doctor}'`,
    `curl -N ${url}/api/v1/events -H 'X-API-Key: ${doctor}'`,
  ].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ name: 'careledger', level: config.LOG_LEVEL });
  let devnet: Devnet | undefined;
  let connection;
  if (config.CARELEDGER_CONNECTION) {
    connection = await loadConnectionFile(config.CARELEDGER_CONNECTION);
  } else {
    devnet = await startEmbeddedNetwork({ dataDir: config.CARELEDGER_DATA_DIR, logger });
    connection = await loadConnectionFile(devnet.connectionFilePath);
  }
  const gateway = await startGateway({ config, connection, logger });
  const keys = devnet
    ? ensureDemoKeys(join(config.CARELEDGER_DATA_DIR, 'demo-api-keys.json'), gateway.wallet, gateway.apiKeys)
    : {};
  const lines = [
    '',
    `CareLedger REST API: ${gateway.url}   (docs ${gateway.url}/docs, OpenAPI ${gateway.url}/openapi.json)`,
    devnet
      ? `Embedded network: ${devnet.endpoint}, connection file ${devnet.connectionFilePath}`
      : `Network: ${connection.gatewayEndpoint}`,
  ];
  if (devnet) {
    lines.push(
      `Demo API keys (development fixture): ${join(config.CARELEDGER_DATA_DIR, 'demo-api-keys.json')}`,
      '',
      examples(gateway.url, keys),
      '',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    gateway
      .close()
      .then(() => devnet?.stop())
      .then(
        () => {
          process.exitCode = 0;
        },
        (err: unknown) => {
          logger.error({ err }, 'unclean shutdown');
          process.exitCode = 1;
        },
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`careledger: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
