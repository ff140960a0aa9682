// Waits until every organisation's peer gateway can have the chaincode evaluated by every
// organisation's peer: right after `deployCC` a peer may not yet know the other organisations'
// peers (gossip learns them from the anchor peers within seconds), and a call naming another
// organisation's endorser then fails with UNAVAILABLE. Run by lib/chaincode.sh with tsx:
//   tsx wait-for-endorsers.js --connection FILE [--timeout-ms 60000]
const { createPrivateKey } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { parseArgs } = require('node:util');
const { setTimeout: sleep } = require('node:timers/promises');
const { clientFor, loadConnectionFile } = require('@careledger/fabric-toolkit');

const { values } = parseArgs({
  options: { connection: { type: 'string' }, 'timeout-ms': { type: 'string', default: '60000' } },
});

async function main() {
  if (!values.connection) throw new Error('--connection FILE is required');
  const file = await loadConnectionFile(values.connection);
  const started = Date.now();
  const deadline = started + Number(values['timeout-ms']);
  const pending = new Map();
  const closers = [];
  for (const org of file.organisations) {
    const id = org.identities[0];
    if (!id) continue;
    // The organisation's own peer (clientFor picks its peerEndpoint), as its members call it.
    const client = clientFor(
      file,
      {
        mspId: org.mspId,
        certificatePem: readFileSync(id.certPath),
        privateKey: createPrivateKey(readFileSync(id.keyPath)),
      },
      { deadlines: { evaluateMs: 5000 } },
    );
    closers.push(() => client.close());
    const contract = client.contract();
    for (const endorser of file.organisations)
      pending.set(`${org.mspId} → ${endorser.mspId}`, { contract, endorser: endorser.mspId });
  }
  let last = '';
  try {
    while (pending.size > 0) {
      for (const [route, { contract, endorser }] of pending) {
        try {
          await contract.evaluate('Organizations:list', { endorsingOrganizations: [endorser] });
          pending.delete(route);
        } catch (err) {
          last = `${route}: ${err.details?.[0]?.message ?? err.message}`;
        }
      }
      if (pending.size === 0) break;
      if (Date.now() > deadline) {
        throw new Error(
          `these peers cannot reach each other yet: ${[...pending.keys()].join(', ')} (last: ${last})`,
        );
      }
      await sleep(500);
    }
  } finally {
    for (const close of closers) close();
  }
  process.stdout.write(
    `  every peer gateway reached every organisation's peer after ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
});
