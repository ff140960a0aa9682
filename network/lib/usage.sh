# shellcheck shell=bash
# The help text of network.sh. Sourced by network.sh.

# usage_short: synopsis and commands, printed after a command-line error.
usage_short() {
  usage | sed -n '1,/^$/p;/^Commands/,/^$/p'
  echo 'network.sh -h lists every option.'
}

usage() {
  cat <<'TEXT'
Usage: network.sh <command> [options]

Runs CareLedger on a real Hyperledger Fabric 2.5 network: HospitalAMSP,
HospitalBMSP, LabMSP and PharmacyMSP (one peer each by default) and a Raft
ordering service of OrdererMSP; TLS everywhere; peer Gateway on.

Commands (run in this order; each skips what is already done):
  up             generate crypto material and configtx.yaml, start the nodes
  createChannel  create 'healthchannel' via osnadmin, join every orderer and peer
  deployCC       deploy the chaincode as a service, approve, commit, initialise
  addUser        issue a user certificate with role attributes
  status         show the nodes, the channel and the chaincode definition
  down           stop exactly the nodes this run started; remove the run directory

Options of every command:
  -h, --help                 this text (exit 0)
  --run-dir DIR              run directory (default: <repo>/.careledger/fabric)
  --connection FILE          connection file for the gateway and benchmark
                             (default: <run directory>/connection.json)

up:
  --mode auto|docker|native  Docker Compose with Fabric's images, or the Fabric
                             binaries on PATH without containers (default auto:
                             Docker if an engine and Compose answer)
  --orderers 1|3|5           Raft orderers (default 3)
  --peers N                  peers per organisation, 1-9 (default 1)
  -s, --state leveldb|couchdb
                             peer state database (default leveldb)
  -ca, --ca                  Fabric CA servers + fabric-ca-client instead of the
                             project's certificate tooling (npm run certs)
  --batch-timeout DURATION   orderer BatchTimeout, e.g. 2s, 500ms (default 2s)
  --batch-size N             orderer BatchSize.MaxMessageCount (default 500)
  --gateway-concurrency N    peer.limits.concurrency.gatewayService (default 2500)
  --fabric-version X.Y       fabric-peer/fabric-orderer image tag (default 2.5)
  --ca-version X.Y           fabric-ca image tag (default 1.5)
  --couchdb-version X.Y      couchdb image tag (default 3.3)
  --fabric-cfg DIR           directory with Fabric's core.yaml and orderer.yaml
                             (native mode; default $FABRIC_CFG_PATH or ../config
                             next to 'peer')
  --log-spec SPEC            FABRIC_LOGGING_SPEC of the nodes (default info)

createChannel:
  -c, --channel NAME         channel name (default healthchannel)

deployCC:
  -c, --channel NAME         channel name (default healthchannel)
  --cc-name NAME             chaincode name (default careledger)
  --cc-version V             definition version and package label (default 1.0);
                             a new version upgrades the definition
  --cc-sequence N|auto       definition sequence (default auto: committed + 1)
  --cc-policy EXPR           endorsement (signature) policy (default: any one
                             organisation's peer, OR('HospitalAMSP.peer',...);
                             '' = the channel's MAJORITY Endorsement)
  --cc-collections FILE      explicit collections config (default none: the
                             chaincode uses implicit per-organisation collections)
  --cc-port PORT             chaincode server port (default 9999)
  --cc-tls true|false        TLS between peers and the chaincode server (default true)

addUser:
  --org MSPID                HospitalAMSP, HospitalBMSP, LabMSP or PharmacyMSP
  --name NAME                user name (certificate CN NAME@<org domain>)
  --role ROLE                hospital: admin doctor nurse device patient;
                             lab: admin technician; pharmacy: admin pharmacist
  --attr K=V                 extra attribute, repeatable (patientId=..., deviceId=...)

down:
  --keep-data                stop the nodes but keep the run directory

Every default lives in network/network.env, which names the flag that
overrides it. A later 'up' keeps the settings the network was created with.
Each command checks what it needs before changing anything.
Exit status: 0 done (status: every node runs), 1 failed or a precondition is
missing (status: a node is down), 2 bad command line.
TEXT
}
