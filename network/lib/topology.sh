# shellcheck shell=bash disable=SC2034 # the variables here are read by the other libraries
# Names, addresses and ports of every node. Sourced by network.sh.
# Plain functions and case statements, no associative arrays, so the scripts
# also run on the bash 3.2 that macOS ships.

CL_ORGS="hospitala hospitalb lab pharmacy"
CL_DOMAIN=careledger.local
CL_ORDERER_MSP=OrdererMSP
CL_ORDERER_DOMAIN=orderer.${CL_DOMAIN}

org_index() {
  case $1 in
    hospitala) echo 0 ;; hospitalb) echo 1 ;; lab) echo 2 ;; pharmacy) echo 3 ;;
    *) die "unknown organisation key: $1" ;;
  esac
}
org_msp() {
  case $1 in
    hospitala) echo HospitalAMSP ;; hospitalb) echo HospitalBMSP ;;
    lab) echo LabMSP ;; pharmacy) echo PharmacyMSP ;;
    *) die "unknown organisation key: $1" ;;
  esac
}
# Organisation type as the chaincode's registry knows it.
org_type() {
  case $1 in
    hospitala | hospitalb) echo hospital ;; lab) echo lab ;; pharmacy) echo pharmacy ;;
    *) die "unknown organisation key: $1" ;;
  esac
}
org_display_name() {
  case $1 in
    hospitala) echo 'Hospital A' ;; hospitalb) echo 'Hospital B' ;;
    lab) echo 'Laboratory' ;; pharmacy) echo 'Pharmacy' ;;
    *) die "unknown organisation key: $1" ;;
  esac
}
# org_key_of_msp MSPID: the reverse of org_msp; empty if unknown.
org_key_of_msp() {
  local org
  for org in $CL_ORGS; do
    if [ "$(org_msp "$org")" = "$1" ]; then
      echo "$org"
      return
    fi
  done
}
org_domain() { echo "$1.${CL_DOMAIN}"; }

# Where the organisations' material lives (Fabric's test-network layout).
org_dir() { echo "${CL_RUN_DIR}/organizations/peerOrganizations/$(org_domain "$1")"; }
orderer_org_dir() { echo "${CL_RUN_DIR}/organizations/ordererOrganizations/${CL_ORDERER_DOMAIN}"; }
org_admin_msp() { echo "$(org_dir "$1")/users/Admin@$(org_domain "$1")/msp"; }
orderer_admin_msp() { echo "$(orderer_org_dir)/users/Admin@${CL_ORDERER_DOMAIN}/msp"; }

peer_name() { echo "peer$2.$(org_domain "$1")"; }
peer_dir() { echo "$(org_dir "$1")/peers/$(peer_name "$1" "$2")"; }
# Ports: organisation i, peer p listens on 7051 + 1000*i + 100*p; its
# chaincode listener is one above, operations two above, CouchDB (host side)
# at 5984 + 1000*i + 100*p.
peer_port() { echo $((7051 + 1000 * $(org_index "$1") + 100 * $2)); }
peer_cc_port() { echo $(($(peer_port "$1" "$2") + 1)); }
peer_ops_port() { echo $(($(peer_port "$1" "$2") + 2)); }
couchdb_port() { echo $((5984 + 1000 * $(org_index "$1") + 100 * $2)); }
couchdb_name() { echo "couchdb.$(peer_name "$1" "$2")"; }
ca_name() { echo "ca.$(org_domain "$1")"; }
ca_port() { echo $((7954 + 1000 * $(org_index "$1"))); }
orderer_ca_name() { echo "ca.${CL_ORDERER_DOMAIN}"; }
orderer_ca_port() { echo 6954; }

orderer_name() { echo "orderer$1.${CL_ORDERER_DOMAIN}"; }
orderer_dir() { echo "$(orderer_org_dir)/orderers/$(orderer_name "$1")"; }
# Orderer k listens on 6050 + 100*k, its admin (osnadmin) endpoint one above,
# operations two above.
orderer_port() { echo $((6050 + 100 * $1)); }
orderer_admin_port() { echo $(($(orderer_port "$1") + 1)); }
orderer_ops_port() { echo $(($(orderer_port "$1") + 2)); }

# node_host NAME: the host other nodes use to reach NAME: its container name
# in Docker mode, the loopback address in native mode.
node_host() {
  if [ "${CL_MODE}" = docker ]; then echo "$1"; else echo 127.0.0.1; fi
}
# node_listen_host: the address a node binds.
node_listen_host() {
  if [ "${CL_MODE}" = docker ]; then echo 0.0.0.0; else echo 127.0.0.1; fi
}

peer_indices() { seq 0 $((CL_PEERS - 1)); }
orderer_indices() { seq 0 $((CL_ORDERERS - 1)); }

CL_CC_SERVER_NAME=ccaas.${CL_DOMAIN}
