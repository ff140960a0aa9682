// `npm run devnet`: the embedded network alone, with CareLedger's chaincode, organisations, demo
// users, data format and registry bootstrap (the REST gateway can then run with --connection).
import { resolve } from 'node:path';
import { runDevnetCli } from '@careledger/devnet';
import {
  careledgerDataFormat,
  chaincodeDir,
  contractSourceDir,
  embeddedOrganisations,
  embeddedPolicy,
} from './careledger-network';
import { bootstrapEmbeddedRegistry } from './registry-bootstrap';

void runDevnetCli(process.argv.slice(2), {
  command: 'npm run devnet',
  defaults: {
    dataDir: resolve(__dirname, '..', '..', '..', '.devnet'),
    chaincodeDir,
    chaincodeName: 'careledger',
    policy: embeddedPolicy,
  },
  organisations: embeddedOrganisations,
  dataFormat: careledgerDataFormat,
  chaincodeSources: [contractSourceDir],
  onReady: bootstrapEmbeddedRegistry,
});
