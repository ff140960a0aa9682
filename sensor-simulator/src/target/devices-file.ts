import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProvisionedDevice } from './bench-target';

interface DeviceEntry {
  deviceId?: unknown;
  patientId?: unknown;
  apiKey?: unknown;
  mspId?: unknown;
  certificatePath?: unknown;
  privateKeyPath?: unknown;
}

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * Reads a devices file: a JSON array of `{ deviceId, patientId, apiKey?, mspId?,
 * certificatePath?, privateKeyPath? }` (paths relative to the file), one entry per device
 * already registered and bound on the ledger.
 * @throws Error naming the entry and field when the file is malformed.
 */
export async function loadDevicesFile(file: string): Promise<ProvisionedDevice[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new Error(`${file}: expected a non-empty JSON array of devices`);
  const dir = path.dirname(file);
  return Promise.all(
    (parsed as DeviceEntry[]).map(async (entry, i) => {
      if (!text(entry.deviceId) || !text(entry.patientId)) {
        throw new Error(`${file}: device ${i}: deviceId and patientId are required strings`);
      }
      const device: { -readonly [K in keyof ProvisionedDevice]: ProvisionedDevice[K] } = {
        deviceId: entry.deviceId,
        patientId: entry.patientId,
      };
      if (text(entry.apiKey)) device.apiKey = entry.apiKey;
      if (
        entry.certificatePath !== undefined ||
        entry.privateKeyPath !== undefined ||
        entry.mspId !== undefined
      ) {
        if (!text(entry.mspId) || !text(entry.certificatePath) || !text(entry.privateKeyPath)) {
          throw new Error(
            `${file}: device ${i}: an identity needs mspId, certificatePath and privateKeyPath`,
          );
        }
        device.identity = {
          mspId: entry.mspId,
          certificatePem: await readFile(path.resolve(dir, entry.certificatePath), 'utf8'),
          privateKeyPem: await readFile(path.resolve(dir, entry.privateKeyPath), 'utf8'),
        };
      }
      return device;
    }),
  );
}

/** A provisioned device as the devices file lists it: its identity by file paths. */
export interface DeviceFileEntry {
  readonly deviceId: string;
  readonly patientId: string;
  readonly apiKey: string;
  readonly mspId: string;
  readonly certificatePath: string;
  readonly privateKeyPath: string;
}

/**
 * Writes a devices file that `loadDevicesFile` reads (paths made relative to the file), readable
 * by its owner only: it holds API keys. Written to a temporary file and renamed, so a reader
 * never sees half of it.
 */
export async function saveDevicesFile(file: string, entries: readonly DeviceFileEntry[]): Promise<void> {
  const dir = path.dirname(file);
  const relative = entries.map((e) => ({
    ...e,
    certificatePath: path.relative(dir, path.resolve(e.certificatePath)),
    privateKeyPath: path.relative(dir, path.resolve(e.privateKeyPath)),
  }));
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(relative, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}
