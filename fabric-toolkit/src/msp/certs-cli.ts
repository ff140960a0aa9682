import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readAttributes } from './certificate-authority';
import { createOrganization, domainOf, enrollUser } from './crypto-layout';

const usage = `Usage: npm run certs -- <command> [options]

Commands:
  init --out DIR [--orgs HospitalAMSP,HospitalBMSP,LabMSP,PharmacyMSP]
       [--peers N] [--orderer-org OrdererMSP] [--orderers N] [--tls-host NAME ...]
       [--no-demo-users]
      Create every organisation's CA, TLS CA, MSP folder (NodeOUs), nodes and Admin user, in
      Fabric's cryptogen layout, plus the demo users (doctor, nurse, device, patient, ...).
      An organisation's type (hospital, lab, pharmacy: which demo users it gets) is taken from
      its MSP ID, or given as MSPID:type. --tls-host adds a name or IP address to every node's
      TLS server certificate (the node's own name, localhost and 127.0.0.1 are always there).
  enroll --out DIR --org MSPID --name NAME --role ROLE [--attr key=value ...]
      Enrol one user with Fabric CA attributes (role, patientId, deviceId, ...) into
      DIR/<peer|orderer>Organizations/<domain>/users/NAME@<domain>/msp; prints its paths (JSON).
      (--crypto DIR is accepted for --out DIR.)
  show CERTFILE
      Print a certificate's subject, NodeOU, issuer, validity and Fabric CA attributes (JSON).

Exit status: 0 done, 1 failed, 2 usage error.

Options:
  -h, --help   this text
`;

/** A user `init` enrols besides each organisation's Admin. */
export interface DemoUser {
  readonly name: string;
  readonly role: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

/** What a project's `certs` command knows of its own network; the tooling itself knows none of it. */
export interface CertsProfile {
  /** The organisation type of an MSP ID given without one (`--orgs HospitalAMSP`). */
  readonly typeOf: (mspId: string) => string;
  /** The demo users of each organisation, in order; `init --no-demo-users` skips them. */
  readonly demoUsers: (
    organisations: readonly { mspId: string; type: string }[],
  ) => ReadonlyMap<string, readonly DemoUser[]>;
}

function fail(message: string): number {
  process.stderr.write(`${message}\n\n${usage}`);
  return 2;
}

/**
 * Runs the certificate CLI (`init`, `enroll`, `show`) with a project's profile.
 * @returns the exit status: 0 done, 1 failed (the reason on stderr), 2 usage error.
 */
export async function runCertsCli(argv: readonly string[], profile: CertsProfile): Promise<number> {
  try {
    return await certs([...argv], profile);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}

async function certs(argv: string[], profile: CertsProfile): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        crypto: { type: 'string' },
        orgs: {
          type: 'string',
          default: 'HospitalAMSP,HospitalBMSP,LabMSP,PharmacyMSP',
        },
        peers: { type: 'string', default: '1' },
        'tls-host': { type: 'string', multiple: true, default: [] },
        'orderer-org': { type: 'string', default: 'OrdererMSP' },
        orderers: { type: 'string', default: '1' },
        'no-demo-users': { type: 'boolean', default: false },
        org: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        attr: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(usage);
    return 0;
  }
  const extra = positionals.slice(positionals[0] === 'show' ? 2 : 1);
  if (extra.length > 0) return fail(`unexpected argument '${extra[0] ?? ''}'`);
  switch (positionals[0]) {
    case 'init': {
      if (!v.out) return fail('init needs --out DIR');
      const peers = Number(v.peers);
      const orderers = Number(v.orderers);
      if (!Number.isInteger(peers) || peers < 1 || !Number.isInteger(orderers) || orderers < 1)
        return fail('--peers and --orderers must be positive integers');
      const orgs = v.orgs.split(',').map((s) => {
        const [mspId = '', type = profile.typeOf(mspId)] = s.trim().split(':');
        return [mspId, type];
      });
      if (orgs.some(([mspId, type]) => !/^[A-Za-z][A-Za-z0-9]*$/.test(mspId ?? '') || !type))
        return fail('--orgs takes MSP IDs (HospitalAMSP) or MSPID:type pairs, comma-separated');
      const mspIds = [...orgs.map(([mspId]) => mspId), v['orderer-org']];
      if (new Set(mspIds.map((id) => domainOf(id ?? ''))).size !== mspIds.length)
        return fail(`organisations must have distinct names: ${mspIds.join(', ')}`);
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(v['orderer-org'])) return fail('--orderer-org takes an MSP ID');
      const extraHosts = v['tls-host'];
      if (extraHosts.some((h) => !/^[A-Za-z0-9][A-Za-z0-9.:-]*$/.test(h)))
        return fail('--tls-host takes a host name or an IP address');
      const users = profile.demoUsers(orgs.map(([mspId = '', type = '']) => ({ mspId, type })));
      for (const [mspId] of orgs as [string, string][]) {
        await createOrganization(v.out, { mspId, kind: 'peer', nodes: peers, extraHosts });
        if (v['no-demo-users']) continue;
        for (const u of users.get(mspId) ?? []) {
          await enrollUser(v.out, { mspId, name: u.name, role: u.role, attrs: u.attrs });
        }
      }
      await createOrganization(v.out, {
        mspId: v['orderer-org'],
        kind: 'orderer',
        nodes: orderers,
        extraHosts,
      });
      process.stdout.write(`crypto material written to ${v.out}\n`);
      return 0;
    }
    case 'enroll': {
      const out = v.out ?? v.crypto;
      if (!out || !v.org || !v.name || !v.role) return fail('enroll needs --out, --org, --name and --role');
      const attrs: Record<string, string> = {};
      for (const a of v.attr) {
        const eq = a.indexOf('=');
        if (eq < 1) return fail(`--attr takes key=value, got '${a}'`);
        attrs[a.slice(0, eq)] = a.slice(eq + 1);
      }
      const identity = await enrollUser(out, { mspId: v.org, name: v.name, role: v.role, attrs });
      process.stdout.write(`${JSON.stringify(identity, null, 2)}\n`);
      return 0;
    }
    case 'show': {
      const file = positionals[1];
      if (!file) return fail('show needs a certificate file');
      const pem = readFileSync(file, 'utf8');
      const cert = new X509Certificate(pem);
      const shown = {
        subject: cert.subject.split('\n'),
        ou: /^OU=(.*)$/m.exec(cert.subject)?.[1] ?? null,
        issuer: cert.issuer.split('\n'),
        serialNumber: cert.serialNumber,
        validFrom: cert.validFrom,
        validTo: cert.validTo,
        ca: cert.ca,
        subjectAltName: cert.subjectAltName ?? null,
        attrs: readAttributes(pem),
      };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      return 0;
    }
    default:
      return fail(positionals[0] ? `unknown command '${positionals[0]}'` : 'a command is required');
  }
}
