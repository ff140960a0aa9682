# shellcheck shell=bash
# The connection file for the gateway and the benchmark, in the embedded
# network's schema (fabric-toolkit/README.md "Connection file"), written by
# scripts/write-connection-file.js. The gateway endpoint is HospitalA's peer0;
# each organisation also names its own peer0. Sourced by network.sh.

write_connection_file() {
  local org orgs=()
  [ -d "${CL_RUN_DIR}/organizations/peerOrganizations" ] || return 0
  for org in $CL_ORGS; do
    orgs+=(--org "$(org_msp "$org"):$(org_type "$org"):$(org_domain "$org"):localhost:$(peer_port "$org" 0)")
  done
  mkdir -p "$(dirname "$CL_CONNECTION_FILE")"
  # localhost rather than 127.0.0.1: TLS clients send the endpoint's host as
  # the server name, and every peer certificate carries localhost.
  (cd "$CL_REPO_ROOT" && node node_modules/tsx/dist/cli.mjs "${CL_NETWORK_DIR}/scripts/write-connection-file.js" \
    --out "$CL_CONNECTION_FILE" --crypto "${CL_RUN_DIR}/organizations" \
    --channel "$CL_CHANNEL" --chaincode "$CL_CC_NAME" \
    --gateway "localhost:$(peer_port hospitala 0)" --tls-ca "$(peer_dir hospitala 0)/tls/ca.crt" "${orgs[@]}") ||
    die "could not write the connection file ${CL_CONNECTION_FILE}"
  log_info "connection file: ${CL_CONNECTION_FILE}"
}

# wait_for_endorsers: until every organisation's peer gateway can have the
# chaincode evaluated by every organisation's peer (gossip learns the other
# organisations' peers from the anchor peers a few seconds after the channel
# is joined; until then a call naming another organisation's endorser fails
# with UNAVAILABLE), so that "ready" means ready for cross-organisation calls.
wait_for_endorsers() {
  log_info "waiting until every peer gateway reaches every organisation's peer"
  (cd "$CL_REPO_ROOT" && node node_modules/tsx/dist/cli.mjs "${CL_NETWORK_DIR}/scripts/wait-for-endorsers.js" \
    --connection "$CL_CONNECTION_FILE" --timeout-ms 60000) ||
    die "the peers do not reach each other's organisations; see the peer logs in ${CL_RUN_DIR}/logs"
}
