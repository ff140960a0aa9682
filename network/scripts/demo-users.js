// Prints the demo users `npm run certs -- init` issues, one per line, for network.sh to enrol
// the same users through Fabric CA (`up --ca`): `<org> <name> <role> [k=v ...]`.
// Run by lib/fabric-ca.sh with tsx:  tsx demo-users.js hospitala:hospital hospitalb:hospital ...
const { demoUsers } = require('@careledger/contract');

let firstHospital = true;
for (const spec of process.argv.slice(2)) {
  const [org, type] = spec.split(':');
  if (!org || !type) throw new Error(`expected <org>:<type>, got ${spec}`);
  for (const user of demoUsers(type, org, type === 'hospital' && firstHospital)) {
    const attrs = Object.entries(user.attrs ?? {}).map(([k, v]) => `${k}=${v}`);
    process.stdout.write(`${[org, user.name, user.role, ...attrs].join(' ')}\n`);
  }
  if (type === 'hospital') firstHospital = false;
}
