// The generic emulator's command: any Node chaincode (`--chaincode DIR`), two organisations with
// an Admin each. Applications run `runDevnetCli` with their own profile (CareLedger: `npm run devnet`).
import { runDevnetCli } from './devnet-cli';

void runDevnetCli(process.argv.slice(2), {
  command: 'node --require tsx/cjs network/devnet/src/main.ts',
  organisations: [
    { mspId: 'Org1MSP', type: 'member' },
    { mspId: 'Org2MSP', type: 'member' },
  ],
});
