import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readAttributes } from './certificate-authority';
import { createOrganization, enrollUser, shortName } from './crypto-layout';
import { demoUsers } from './demo-identities';

const usage = `Usage: npm run certs -- <command> [options]

Commands:
  init --out DIR [--orgs HospitalAMSP,HospitalBMSP,LabMSP,PharmacyMSP]
       [--peers N] [--orderer-org OrdererMSP] [--orderers N] [--no-demo-users]
      Create every organisation's CA, TLS CA, MSP folder (NodeOUs) and nodes, in Fabric's
      cryptogen layout, plus the demo users (admin, doctor, nurse, device, patient, ...).
      An organisation's type (hospital, lab, pharmacy: which demo users it gets) is taken from
      its MSP ID, or given as MSPID:type.
  enroll --crypto DIR --org MSPID --name NAME --role ROLE [--attr key=value ...]
      Enrol one user with Fabric CA attributes (role, patientId, deviceId, ...).
  show CERTFILE
      Print a certificate's subject, NodeOU, issuer, validity and Fabric CA attributes.

Exit status: 0 done, 1 failed, 2 usage error.

Options:
  -h, --help   this text
`;

/** HospitalAMSP → hospital, LabMSP → lab, PharmacyMSP → pharmacy; other names → 'other' (an admin only). */
function typeOf(mspId: string): string {
  return /^(hospital|lab|pharmacy)/i.exec(mspId)?.[1]?.toLowerCase() ?? 'other';
}

function fail(message: string): number {
  process.stderr.write(`${message}\n\n${usage}`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
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
  switch (positionals[0]) {
    case 'init': {
      if (!v.out) return fail('init needs --out DIR');
      const peers = Number(v.peers);
      const orderers = Number(v.orderers);
      if (!Number.isInteger(peers) || peers < 1 || !Number.isInteger(orderers) || orderers < 1)
        return fail('--peers and --orderers must be positive integers');
      const orgs = v.orgs.split(',').map((s) => {
        const [mspId = '', type = typeOf(mspId)] = s.trim().split(':');
        return [mspId, type];
      });
      if (orgs.some(([mspId, type]) => !/^[A-Za-z][A-Za-z0-9]*$/.test(mspId ?? '') || !type))
        return fail('--orgs takes MSP IDs (HospitalAMSP) or MSPID:type pairs, comma-separated');
      let firstHospital = true;
      for (const [mspId, type] of orgs as [string, string][]) {
        await createOrganization(v.out, { mspId, kind: 'peer', nodes: peers });
        if (!v['no-demo-users']) {
          for (const u of demoUsers(type, shortName(mspId), type === 'hospital' && firstHospital)) {
            await enrollUser(v.out, { mspId, name: u.name, role: u.role, attrs: u.attrs });
          }
        }
        if (type === 'hospital') firstHospital = false;
      }
      await createOrganization(v.out, { mspId: v['orderer-org'], kind: 'orderer', nodes: orderers });
      process.stdout.write(`crypto material written to ${v.out}\n`);
      return 0;
    }
    case 'enroll': {
      if (!v.crypto || !v.org || !v.name || !v.role)
        return fail('enroll needs --crypto, --org, --name and --role');
      const attrs: Record<string, string> = {};
      for (const a of v.attr) {
        const eq = a.indexOf('=');
        if (eq < 1) return fail(`--attr takes key=value, got '${a}'`);
        attrs[a.slice(0, eq)] = a.slice(eq + 1);
      }
      const identity = await enrollUser(v.crypto, { mspId: v.org, name: v.name, role: v.role, attrs });
      process.stdout.write(`${JSON.stringify(identity, null, 2)}\n`);
      return 0;
    }
    case 'show': {
      const file = positionals[1];
      if (!file) return fail('show needs a certificate file');
      const pem = readFileSync(file, 'utf8');
      const cert = new X509Certificate(pem);
      process.stdout.write(
        `${JSON.stringify({ subject: cert.subject.split('\n'), ou: /^OU=(.*)$/m.exec(cert.subject)?.[1] ?? null, issuer: cert.issuer.split('\n'), validFrom: cert.validFrom, validTo: cert.validTo, attrs: readAttributes(pem) }, null, 2)}\n`,
      );
      return 0;
    }
    default:
      return fail(positionals[0] ? `unknown command '${positionals[0]}'` : 'a command is required');
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
  },
);
