// Writes the connection file of a network.sh network, in the toolkit's schema
// (fabric-toolkit/src/connection/connection-file.ts), so the gateway and the benchmark read either.
// Run by lib/connection.sh with tsx (it loads the toolkit's TypeScript):
//   tsx write-connection-file.js --out FILE --crypto DIR --channel C --chaincode N \
//     --gateway HOST:PORT --tls-ca FILE --org MSPID:type:domain:HOST:PORT ...
// Identities: every users/<name>@<domain>/msp with a `role` attribute in its certificate
// (cryptogen layout from `npm run certs`, or fabric-ca-client's), keys named anyhow.
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { parseArgs } = require('node:util');
const { readAttributes, writeConnectionFile } = require('@careledger/fabric-toolkit');

function firstFile(dir) {
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  return files.length > 0 ? join(dir, files[0]) : undefined;
}

function identitiesOf(orgDir, short) {
  const usersDir = join(orgDir, 'users');
  if (!existsSync(usersDir)) return [];
  const identities = [];
  for (const entry of readdirSync(usersDir).sort()) {
    const certPath = firstFile(join(usersDir, entry, 'msp', 'signcerts'));
    const keyPath = firstFile(join(usersDir, entry, 'msp', 'keystore'));
    if (!certPath || !keyPath) continue;
    const attrs = Object.fromEntries(
      Object.entries(readAttributes(readFileSync(certPath, 'utf8'))).filter(([k]) => !k.startsWith('hf.')),
    );
    if (!attrs.role) continue;
    const user = entry.slice(0, entry.indexOf('@')).toLowerCase();
    identities.push({ name: `${short}-${user}`, role: attrs.role, certPath, keyPath, attrs });
  }
  return identities;
}

async function main() {
  const { values: v } = parseArgs({
    options: {
      out: { type: 'string' },
      crypto: { type: 'string' },
      channel: { type: 'string' },
      chaincode: { type: 'string' },
      gateway: { type: 'string' },
      'tls-ca': { type: 'string' },
      org: { type: 'string', multiple: true, default: [] },
    },
  });
  for (const name of ['out', 'crypto', 'channel', 'chaincode', 'gateway', 'tls-ca']) {
    if (!v[name]) throw new Error(`--${name} is required`);
  }
  // Paths in the file are written relative to it: resolve what the caller gave against its cwd.
  const cryptoDir = resolve(v.crypto);
  const organisations = v.org.map((spec) => {
    const [mspId, type, domain, host, port] = spec.split(':');
    if (!mspId || !type || !domain || !host || !port)
      throw new Error(`--org takes MSPID:type:domain:host:port, got ${spec}`);
    const short = domain.split('.')[0];
    const orgDir = join(cryptoDir, 'peerOrganizations', domain);
    const identities = identitiesOf(orgDir, short);
    // Each organisation's peers have certificates of its own TLS CA.
    const peerTlsCaPath = join(orgDir, 'peers', `peer0.${domain}`, 'tls', 'ca.crt');
    return {
      mspId,
      type,
      peerEndpoint: `${host}:${port}`,
      ...(existsSync(peerTlsCaPath) ? { peerTlsCaPath } : {}),
      identities,
    };
  });
  await writeConnectionFile(v.out, {
    version: 1,
    gatewayEndpoint: v.gateway,
    tlsCaPath: resolve(v['tls-ca']),
    channel: v.channel,
    chaincode: v.chaincode,
    organisations,
  });
}

main().catch((err) => {
  process.stderr.write(`write-connection-file: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
