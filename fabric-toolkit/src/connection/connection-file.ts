import { readFileSync } from 'node:fs';
import { readFile, writeFile, rename } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';

const identitySchema = z.object({
  name: z
    .string()
    .min(1)
    .describe('Unique name of the identity across the whole file, e.g. "hospitala-doctor"'),
  role: z
    .string()
    .min(1)
    .describe('The `role` attribute in the certificate (admin, doctor, nurse, device, …)'),
  certPath: z.string().min(1).describe('PEM certificate; relative paths are relative to the connection file'),
  keyPath: z
    .string()
    .min(1)
    .describe('PEM PKCS#8 private key; relative paths are relative to the connection file'),
  attrs: z
    .record(z.string(), z.string())
    .describe('Fabric CA attributes in the certificate (role, patientId, deviceId, …)'),
});

const organisationSchema = z.object({
  mspId: z.string().min(1).describe('MSP ID, e.g. HospitalAMSP'),
  type: z.string().min(1).describe('Organisation type in CareLedger’s registry: hospital, lab or pharmacy'),
  peerEndpoint: z
    .string()
    .optional()
    .describe("This organisation's own peer gateway (host:port) when it differs from `gatewayEndpoint`"),
  peerTlsCaPath: z
    .string()
    .min(1)
    .optional()
    .describe(
      "PEM CA certificate of this organisation's peer TLS certificate, when not the one of `tlsCaPath` (each organisation of a real network has its own TLS CA)",
    ),
  identities: z.array(identitySchema),
});

/** The connection file a network (embedded or real) writes for its clients. */
export const connectionFileSchema = z.object({
  version: z.literal(1).describe('Schema version'),
  gatewayEndpoint: z.string().min(1).describe('host:port of the Fabric Gateway gRPC service (TLS)'),
  tlsCaPath: z.string().min(1).describe('PEM CA certificate that signed the gateway’s TLS certificate'),
  hostnameOverride: z
    .string()
    .optional()
    .describe('TLS server name to verify instead of the endpoint host (`grpc.ssl_target_name_override`)'),
  channel: z.string().min(1).describe('Channel name, e.g. healthchannel'),
  chaincode: z.string().min(1).describe('Chaincode name, e.g. careledger'),
  organisations: z.array(organisationSchema).min(1),
});

export type ConnectionFile = z.infer<typeof connectionFileSchema>;
export type ConnectionOrganisation = z.infer<typeof organisationSchema>;
export type ConnectionIdentity = z.infer<typeof identitySchema>;

/** Thrown when a connection file cannot be read or does not match the schema. */
export class ConnectionFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionFileError';
  }
}

/**
 * Reads and validates a connection file; every path in the result is absolute (relative
 * paths are resolved against the file's directory).
 * @throws ConnectionFileError naming the file and the first problem found.
 */
export async function loadConnectionFile(path: string): Promise<ConnectionFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConnectionFileError(`cannot read connection file ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConnectionFileError(`connection file ${path} is not JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const parsed = connectionFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : `${issue.path.join('.') || '(root)'}: ${issue.message}`;
    throw new ConnectionFileError(`connection file ${path} is invalid: ${where}`, { cause: parsed.error });
  }
  return mapPaths(parsed.data, (p) => (isAbsolute(p) ? p : resolve(dirname(path), p)));
}

/** Writes the file atomically, with paths relative to its directory so the directory can move. */
export async function writeConnectionFile(path: string, file: ConnectionFile): Promise<void> {
  const content = mapPaths(connectionFileSchema.parse(file), (p) =>
    isAbsolute(p) ? relative(dirname(path), p) : p,
  );
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

function mapPaths(file: ConnectionFile, map: (path: string) => string): ConnectionFile {
  return {
    ...file,
    tlsCaPath: map(file.tlsCaPath),
    organisations: file.organisations.map((org) => ({
      ...org,
      ...(org.peerTlsCaPath === undefined ? {} : { peerTlsCaPath: map(org.peerTlsCaPath) }),
      identities: org.identities.map((id) => ({
        ...id,
        certPath: map(id.certPath),
        keyPath: map(id.keyPath),
      })),
    })),
  };
}

/**
 * Every TLS CA certificate a client of this network must trust, as one PEM bundle: the
 * gateway endpoint's and each organisation's peer TLS CA (without repeats). gRPC accepts a
 * bundle as its root certificates, so one set of credentials reaches every peer.
 * @throws Error if a listed file cannot be read.
 */
export function tlsRootsOf(file: ConnectionFile): Buffer {
  const paths = [file.tlsCaPath, ...file.organisations.flatMap((o) => o.peerTlsCaPath ?? [])];
  const pems = [...new Set(paths.map((p) => readFileSync(p, 'utf8').trim()))];
  return Buffer.from(`${pems.join('\n')}\n`);
}

/**
 * The identity of that name in the connection file, with its organisation's MSP ID.
 * @throws Error when the file has none.
 */
export function identityNamed(file: ConnectionFile, name: string): ConnectionIdentity & { mspId: string } {
  for (const org of file.organisations) {
    const found = org.identities.find((i) => i.name === name);
    if (found !== undefined) return { ...found, mspId: org.mspId };
  }
  throw new Error(`no identity ${name} in the connection file`);
}
