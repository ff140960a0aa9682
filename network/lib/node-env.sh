# shellcheck shell=bash
# The core.yaml / orderer.yaml overrides of every node, as environment
# variables: the one place where node settings are decided. Native mode
# exports them before starting a binary; Docker mode hands the same file to
# the container (env_file), with the run directory mounted at the same path.
# Sourced by network.sh.

# peer_env ORG P: KEY=VALUE lines for peer P of ORG.
peer_env() {
  local org=$1 p=$2 name dir port listen
  name=$(peer_name "$org" "$p")
  dir=$(peer_dir "$org" "$p")
  port=$(peer_port "$org" "$p")
  listen=$(node_listen_host)
  cat <<ENV
FABRIC_LOGGING_SPEC=${CL_LOG_SPEC}
CORE_PEER_ID=${name}
CORE_PEER_LOCALMSPID=$(org_msp "$org")
CORE_PEER_MSPCONFIGPATH=${dir}/msp
CORE_PEER_ADDRESS=$(node_host "$name"):${port}
CORE_PEER_LISTENADDRESS=${listen}:${port}
CORE_PEER_CHAINCODEADDRESS=$(node_host "$name"):$(peer_cc_port "$org" "$p")
CORE_PEER_CHAINCODELISTENADDRESS=${listen}:$(peer_cc_port "$org" "$p")
CORE_PEER_GOSSIP_BOOTSTRAP=$(node_host "$(peer_name "$org" 0)"):$(peer_port "$org" 0)
CORE_PEER_GOSSIP_EXTERNALENDPOINT=$(node_host "$name"):${port}
CORE_PEER_TLS_ENABLED=true
CORE_PEER_TLS_CERT_FILE=${dir}/tls/server.crt
CORE_PEER_TLS_KEY_FILE=${dir}/tls/server.key
CORE_PEER_TLS_ROOTCERT_FILE=${dir}/tls/ca.crt
CORE_PEER_FILESYSTEMPATH=${CL_RUN_DIR}/data/${name}
CORE_LEDGER_SNAPSHOTS_ROOTDIR=${CL_RUN_DIR}/data/${name}/snapshots
CORE_PEER_GATEWAY_ENABLED=true
CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE=${CL_GATEWAY_CONCURRENCY}
CORE_OPERATIONS_LISTENADDRESS=${listen}:$(peer_ops_port "$org" "$p")
CORE_METRICS_PROVIDER=prometheus
CORE_VM_ENDPOINT=
CORE_CHAINCODE_EXTERNALBUILDERS=[{"name":"ccaas","path":"${CL_NETWORK_DIR}/builders/ccaas"}]
ENV
  if [ "$CL_STATE_DB" = couchdb ]; then
    local couch_host
    couch_host=127.0.0.1:$(couchdb_port "$org" "$p")
    [ "$CL_MODE" != docker ] || couch_host=$(couchdb_name "$org" "$p"):5984
    cat <<ENV
CORE_LEDGER_STATE_STATEDATABASE=CouchDB
CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS=${couch_host}
CORE_LEDGER_STATE_COUCHDBCONFIG_USERNAME=${CL_COUCHDB_USER}
CORE_LEDGER_STATE_COUCHDBCONFIG_PASSWORD=${CL_COUCHDB_PASSWORD}
ENV
  else
    echo 'CORE_LEDGER_STATE_STATEDATABASE=goleveldb'
  fi
}

# orderer_env K: KEY=VALUE lines for orderer K.
orderer_env() {
  local k=$1 name dir listen
  name=$(orderer_name "$k")
  dir=$(orderer_dir "$k")
  listen=$(node_listen_host)
  cat <<ENV
FABRIC_LOGGING_SPEC=${CL_LOG_SPEC}
ORDERER_GENERAL_LISTENADDRESS=${listen}
ORDERER_GENERAL_LISTENPORT=$(orderer_port "$k")
ORDERER_GENERAL_LOCALMSPID=${CL_ORDERER_MSP}
ORDERER_GENERAL_LOCALMSPDIR=${dir}/msp
ORDERER_GENERAL_TLS_ENABLED=true
ORDERER_GENERAL_TLS_PRIVATEKEY=${dir}/tls/server.key
ORDERER_GENERAL_TLS_CERTIFICATE=${dir}/tls/server.crt
ORDERER_GENERAL_TLS_ROOTCAS=[${dir}/tls/ca.crt]
ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE=${dir}/tls/server.crt
ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY=${dir}/tls/server.key
ORDERER_GENERAL_CLUSTER_ROOTCAS=[${dir}/tls/ca.crt]
ORDERER_GENERAL_BOOTSTRAPMETHOD=none
ORDERER_CHANNELPARTICIPATION_ENABLED=true
ORDERER_FILELEDGER_LOCATION=${CL_RUN_DIR}/data/${name}
ORDERER_CONSENSUS_WALDIR=${CL_RUN_DIR}/data/${name}/etcdraft/wal
ORDERER_CONSENSUS_SNAPDIR=${CL_RUN_DIR}/data/${name}/etcdraft/snapshot
ORDERER_ADMIN_LISTENADDRESS=${listen}:$(orderer_admin_port "$k")
ORDERER_ADMIN_TLS_ENABLED=true
ORDERER_ADMIN_TLS_CERTIFICATE=${dir}/tls/server.crt
ORDERER_ADMIN_TLS_PRIVATEKEY=${dir}/tls/server.key
ORDERER_ADMIN_TLS_ROOTCAS=[${dir}/tls/ca.crt]
ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true
ORDERER_ADMIN_TLS_CLIENTROOTCAS=[${dir}/tls/ca.crt]
ORDERER_OPERATIONS_LISTENADDRESS=${listen}:$(orderer_ops_port "$k")
ORDERER_METRICS_PROVIDER=prometheus
ENV
}

# write_node_env_files: one file per node under RUN_DIR/env.
write_node_env_files() {
  local org p k
  mkdir -p "${CL_RUN_DIR}/env"
  for k in $(orderer_indices); do orderer_env "$k" >"${CL_RUN_DIR}/env/$(orderer_name "$k").env"; done
  for org in $CL_ORGS; do
    for p in $(peer_indices); do peer_env "$org" "$p" >"${CL_RUN_DIR}/env/$(peer_name "$org" "$p").env"; done
  done
}
