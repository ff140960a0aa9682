// `npm run certs`: the toolkit's certificate CLI with CareLedger's organisation types and demo
// users (run with tsx, which loads the workspaces' TypeScript).
const { runCertsCli } = require('@careledger/fabric-toolkit');
const { demoUsersOf, orgTypeOf } = require('@careledger/contract');

runCertsCli(process.argv.slice(2), { typeOf: orgTypeOf, demoUsers: demoUsersOf }).then((code) => {
  process.exitCode = code;
});
