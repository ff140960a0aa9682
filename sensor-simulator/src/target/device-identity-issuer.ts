import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  domainOf,
  enrollUser,
  nodeOuConfig,
  shortName,
  type ConnectionIdentity,
} from '@careledger/fabric-toolkit';

const run = promisify(execFile);

/** A device identity to issue: user `name` of the organisation, with attribute `deviceId`. */
export interface DeviceIdentityRequest {
  readonly name: string;
  readonly deviceId: string;
}

/** Issues device identities (role `device`, attribute `deviceId`) of one organisation. */
export interface DeviceIdentityIssuer {
  /** e.g. `the project's certificate tooling (…/organizations)` */
  readonly description: string;
  /**
   * One identity per request, in order, written in Fabric's cryptogen layout
   * (`users/<name>@<domain>/msp`); a user whose MSP folder is complete already is taken as it is
   * (an earlier, interrupted run issued it).
   * @throws Error naming the user that could not be issued.
   */
  issue(requests: readonly DeviceIdentityRequest[]): Promise<ConnectionIdentity[]>;
}

/** Where an organisation's users are: `<cryptoDir>/peerOrganizations/<domain>/users`. */
function usersDirOf(cryptoDir: string, mspId: string): string {
  return path.join(cryptoDir, 'peerOrganizations', domainOf(mspId), 'users');
}

async function firstFile(dir: string): Promise<string | undefined> {
  const files = existsSync(dir) ? (await readdir(dir)).sort() : [];
  return files[0] === undefined ? undefined : path.join(dir, files[0]);
}

/** The identity of a user already issued, as the connection file lists it; undefined if incomplete. */
async function existingIdentity(
  cryptoDir: string,
  mspId: string,
  request: DeviceIdentityRequest,
): Promise<ConnectionIdentity | undefined> {
  const msp = path.join(usersDirOf(cryptoDir, mspId), `${request.name}@${domainOf(mspId)}`, 'msp');
  const certPath = await firstFile(path.join(msp, 'signcerts'));
  const keyPath = await firstFile(path.join(msp, 'keystore'));
  if (certPath === undefined || keyPath === undefined) return undefined;
  return identityOf(mspId, request, certPath, keyPath);
}

function identityOf(
  mspId: string,
  request: DeviceIdentityRequest,
  certPath: string,
  keyPath: string,
): ConnectionIdentity {
  return {
    name: `${shortName(mspId)}-${request.name.toLowerCase()}`,
    role: 'device',
    certPath,
    keyPath,
    attrs: { role: 'device', deviceId: request.deviceId },
  };
}

async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  each: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await each(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), items.length) }, worker));
  return out;
}

/**
 * The project's certificate tooling, in this process: the organisation's CA key pair is in
 * `<cryptoDir>/peerOrganizations/<domain>/ca` (what `npm run certs -- init` and the embedded
 * network write), and each identity costs a key generation and a signature, a few milliseconds —
 * `network.sh addUser` does the same in a new Node process per user.
 */
export function newCertsIssuer(options: {
  readonly cryptoDir: string;
  readonly mspId: string;
}): DeviceIdentityIssuer {
  const { cryptoDir, mspId } = options;
  return {
    description: `the project's certificate tooling (${cryptoDir})`,
    issue: (requests) =>
      inParallel(requests, 16, async (request) => {
        const existing = await existingIdentity(cryptoDir, mspId, request);
        if (existing) return existing;
        const issued = await enrollUser(cryptoDir, {
          mspId,
          name: request.name,
          role: 'device',
          attrs: { deviceId: request.deviceId },
        });
        return identityOf(mspId, request, issued.certPath, issued.keyPath);
      }),
  };
}

/** A network.sh `--ca` network's Fabric CA of one organisation, and its enrolled registrar. */
export interface FabricCaOptions {
  readonly cryptoDir: string;
  readonly mspId: string;
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** `ca.<domain>` */
  readonly caName: string;
  /** The CA's TLS certificate. */
  readonly tlsCertFile: string;
  /** fabric-ca-client's home with the registrar's MSP (`<home>/msp`). */
  readonly registrarHome: string;
  /** The client binary (default `fabric-ca-client` on PATH). */
  readonly client?: string;
  /** Identities in flight at once (default 8). */
  readonly concurrency?: number;
}

/**
 * Fabric CA, as `network.sh addUser` does it on a `--ca` network: `fabric-ca-client register`
 * (type client, `role=device:ecert,deviceId=…:ecert`) as the organisation's registrar, then
 * `enroll` into the user's MSP folder — but several users at once and without a new shell and
 * Node process per user.
 */
export function newFabricCaIssuer(options: Readonly<FabricCaOptions>): DeviceIdentityIssuer {
  const client = options.client ?? 'fabric-ca-client';
  const common = ['--caname', options.caName, '--tls.certfiles', options.tlsCertFile];
  const domain = domainOf(options.mspId);
  const host = new URL(options.url).host;
  return {
    description: `Fabric CA ${options.caName} at ${options.url}`,
    issue: (requests) =>
      inParallel(requests, options.concurrency ?? 8, async (request) => {
        const existing = await existingIdentity(options.cryptoDir, options.mspId, request);
        if (existing) return existing;
        const id = `${request.name}@${domain}`;
        const msp = path.join(usersDirOf(options.cryptoDir, options.mspId), id, 'msp');
        const secret = randomBytes(18).toString('base64url');
        const attrs = `role=device:ecert,deviceId=${request.deviceId}:ecert`;
        try {
          await run(client, [
            'register',
            ...['--id.name', id, '--id.secret', secret, '--id.type', 'client', '--id.attrs', attrs],
            ...['-u', options.url, '-H', options.registrarHome, ...common],
          ]);
          // The enrolment's own home: fabric-ca-client writes its config file there.
          await run(client, [
            'enroll',
            ...['-u', `https://${encodeURIComponent(id)}:${secret}@${host}`, '-M', msp],
            ...['-H', path.dirname(msp), ...common],
          ]);
        } catch (error) {
          const { stderr } = error as { stderr?: string };
          throw new Error(
            `${client} could not issue ${id}: ${(stderr ?? (error as Error).message).trim().split('\n').slice(-3).join(' ')}`,
          );
        }
        const cacert = await firstFile(path.join(msp, 'cacerts'));
        if (cacert !== undefined && path.basename(cacert) !== 'ca.crt')
          await rename(cacert, path.join(msp, 'cacerts', 'ca.crt'));
        await writeFile(path.join(msp, 'config.yaml'), nodeOuConfig('ca.crt'));
        const issued = await existingIdentity(options.cryptoDir, options.mspId, request);
        if (!issued) throw new Error(`${client} enrolled ${id} but wrote no certificate and key into ${msp}`);
        return issued;
      }),
  };
}

/**
 * The issuer of a network.sh network's organisation, found from its files: the project's
 * tooling when the organisation's CA key is in `<cryptoDir>/…/<domain>/ca`, Fabric CA when the
 * run directory (the parent of `cryptoDir`) has the organisation's CA server and an enrolled
 * registrar (`network.sh up --ca`).
 * @throws Error saying what was looked for when neither is there.
 */
export function issuerOf(cryptoDir: string, mspId: string, fabricCaClient?: string): DeviceIdentityIssuer {
  const domain = domainOf(mspId);
  const orgDir = path.join(cryptoDir, 'peerOrganizations', domain);
  if (existsSync(path.join(orgDir, 'ca', 'priv_sk'))) return newCertsIssuer({ cryptoDir, mspId });
  const runDir = path.dirname(cryptoDir);
  const caName = `ca.${domain}`;
  const serverHome = path.join(runDir, 'fabric-ca', caName);
  const registrarHome = path.join(runDir, 'fabric-ca-client', caName);
  const port = caPortOf(mspId);
  if (existsSync(path.join(registrarHome, 'msp', 'signcerts')) && port !== undefined) {
    return newFabricCaIssuer({
      cryptoDir,
      mspId,
      url: `https://127.0.0.1:${port}`,
      caName,
      tlsCertFile: path.join(serverHome, 'tls-cert.pem'),
      registrarHome,
      ...(fabricCaClient ? { client: fabricCaClient } : {}),
    });
  }
  throw new Error(
    `cannot issue identities of ${mspId}: neither its CA key (${path.join(orgDir, 'ca', 'priv_sk')}, ` +
      `npm run certs) nor a Fabric CA registrar (${path.join(registrarHome, 'msp')}, network.sh up --ca) is there`,
  );
}

/** network.sh's organisations in topology.sh's order (`org_index`), which gives each CA its port. */
const NETWORK_SH_ORGS = ['hospitala', 'hospitalb', 'lab', 'pharmacy'];

/** network.sh's CA port of an organisation (topology.sh `ca_port`: 7954 + 1000 × its index). */
function caPortOf(mspId: string): number | undefined {
  const index = NETWORK_SH_ORGS.indexOf(shortName(mspId));
  return index < 0 ? undefined : 7954 + 1000 * index;
}
