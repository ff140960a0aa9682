# shellcheck shell=bash
# What each command needs before it changes anything, checked up front so
# that a missing precondition stops the command at once, names what is
# missing and what to run, and leaves nothing half-done. Sourced by network.sh.

# begin_changes COMMAND: from here on a failure leaves part of COMMAND done;
# the exit hint (on_exit) says how to go on.
begin_changes() { CL_CHANGING=$1; }

# on_exit STATUS: the exit status means what the usage text says: 2 only for
# a bad command line, 1 for any failure (a command that failed under set -e
# may have exited with any status). After a failure past begin_changes, say
# what is left and how to resume (every step skips what is already done).
on_exit() {
  [ "$1" != 0 ] || return 0
  [ "${CL_USAGE_ERROR:-}" != true ] || exit 2
  if [ "${CL_CHANGING:-}" = down ]; then
    log_info "network.sh down stopped part-way; ${CL_RUN_DIR} is kept. Fix the cause and run it again."
  elif [ -n "${CL_CHANGING:-}" ]; then
    log_info "network.sh ${CL_CHANGING} stopped part-way; what it did is kept. Fix the cause and run it" \
      "again (it skips what is done), or 'network.sh down' to remove the network."
  fi
  exit 1
}

# require_repo_installed: this repository's dependencies (npm ci), which the
# certificate tooling, the connection file and the chaincode server use.
require_repo_installed() {
  require_cmd node "to generate certificates and the connection file (Node.js 20.19+, https://nodejs.org)"
  [ -f "${CL_REPO_ROOT}/node_modules/tsx/dist/cli.mjs" ] ||
    die "this repository's dependencies are not installed (${CL_REPO_ROOT}/node_modules/tsx is missing):" \
      "run 'npm ci' in ${CL_REPO_ROOT}."
}

# require_up_prereqs: everything `up` needs, before it writes anything.
require_up_prereqs() {
  require_prereqs
  require_repo_installed
  if [ "$CL_USE_CA" != true ]; then
    require_cmd npm "to issue the certificates (npm run certs)"
    require_cmd openssl "to issue the chaincode server's TLS certificate"
  fi
  # Native nodes, and the peer CLI when --fabric-cfg is given, read Fabric's
  # default core.yaml and orderer.yaml.
  if [ "$CL_MODE" = native ] || [ -n "$CL_FABRIC_CFG" ]; then fabric_config_dir >/dev/null; fi
  [ "$CL_MODE" != native ] || require_ports_free
}

# require_couchdb_native: with --state couchdb in native mode, a CouchDB for
# each peer (started by the administrator with the password `up` saved).
require_couchdb_native() {
  local org p
  [ "$CL_MODE" = native ] && [ "$CL_STATE_DB" = couchdb ] || return 0
  for org in $CL_ORGS; do
    for p in $(peer_indices); do
      port_in_use "$(couchdb_port "$org" "$p")" ||
        die "--state couchdb in native mode needs a CouchDB 3 for $(peer_name "$org" "$p") on" \
          "127.0.0.1:$(couchdb_port "$org" "$p") (user/password in ${CL_RUN_DIR}/network.state), e.g." \
          "docker run -d -p $(couchdb_port "$org" "$p"):5984 -e COUCHDB_USER=... -e COUCHDB_PASSWORD=... couchdb:${CL_COUCHDB_VERSION};" \
          "then run 'network.sh up' again."
    done
  done
}

# network_nodes: "NAME OPS_PORT" for every orderer and peer of the saved topology.
network_nodes() {
  local org p k
  for k in $(orderer_indices); do echo "$(orderer_name "$k") $(orderer_ops_port "$k")"; done
  for org in $CL_ORGS; do
    for p in $(peer_indices); do echo "$(peer_name "$org" "$p") $(peer_ops_port "$org" "$p")"; done
  done
}

# stopped_nodes: the orderers and peers whose process (native: also its
# /healthz) or container does not run, one per line.
stopped_nodes() {
  local name ops
  while read -r name ops; do
    if ! node_alive "$name"; then
      echo "${name} (not running)"
    elif [ "$CL_MODE" = native ] && ! node_healthy 127.0.0.1 "$ops"; then
      echo "${name} (running, but its /healthz does not answer 200)"
    fi
  done < <(network_nodes)
}

# stopped_nodes_text: stopped_nodes on one line, comma-separated.
stopped_nodes_text() {
  local line out=''
  while read -r line; do out="${out:+${out}, }${line}"; done < <(stopped_nodes)
  echo "$out"
}

# require_nodes_running COMMAND: every orderer and peer is up, as COMMAND
# needs them (after `down --keep-data`, a reboot or a crash they are not).
require_nodes_running() {
  local stopped
  stopped=$(stopped_nodes_text)
  [ -z "$stopped" ] || die "$1 needs every orderer and peer of the network in ${CL_RUN_DIR}, and these are" \
    "down: ${stopped}. $(restart_hint "$stopped")"
}

# restart_hint STOPPED: what to do about the nodes stopped_nodes_text listed.
# `up` starts what is stopped, but leaves a node that runs without answering
# /healthz (hung, or failing a check) as it is.
restart_hint() {
  local hint="Start them with 'network.sh up' (it starts only what is stopped)"
  case $1 in
    *'running, but'*)
      hint="${hint}; a node that runs but is not healthy is not restarted by 'up': read its log, then"
      hint="${hint} 'network.sh down --keep-data' and 'network.sh up' restart every node with its data"
      ;;
  esac
  echo "${hint}; $(node_log_hint '<node>')."
}

# require_channel_files: configtx.yaml and the crypto material `up` wrote.
require_channel_files() {
  [[ -f ${CL_RUN_DIR}/configtx/configtx.yaml && -d ${CL_RUN_DIR}/organizations/ordererOrganizations ]] ||
    die "the network in ${CL_RUN_DIR} has no configtx.yaml or crypto material: 'network.sh up' did not" \
      "finish; run it again."
}

# require_channel_joined: every peer has joined CL_CHANNEL (deployCC installs
# on each and approves on each organisation's peer0).
require_channel_joined() {
  local org p joined missing=()
  [ -f "$(channel_block)" ] || die "channel '${CL_CHANNEL}' does not exist yet: run 'network.sh createChannel$(
    [ "$CL_CHANNEL" = healthchannel ] || echo " --channel ${CL_CHANNEL}")' first"
  for org in $CL_ORGS; do
    for p in $(peer_indices); do
      use_peer "$org" "$p"
      joined=0
      peer_joined || joined=$?
      case $joined in
        0) ;;
        1) missing+=("$(peer_name "$org" "$p")") ;;
        *) die "could not ask $(peer_name "$org" "$p") for its channels (peer channel list as" \
          "$(org_msp "$org")'s admin): ${CL_PEER_ERROR:-no message}" ;;
      esac
    done
  done
  ((${#missing[@]} == 0)) ||
    die "these peers have not joined '${CL_CHANNEL}': ${missing[*]}. Run 'network.sh createChannel$(
      [ "$CL_CHANNEL" = healthchannel ] || echo " --channel ${CL_CHANNEL}")' (it joins what is missing)."
}

# require_cc_prereqs: what deployCC needs besides a running network and a
# joined channel: the tools to build and run the chaincode server, its TLS key
# pair, a free port, and the collections file.
require_cc_prereqs() {
  require_fabric_cli peer
  require_repo_installed
  if [ -n "$CL_CC_COLLECTIONS" ] && [ ! -r "$CL_CC_COLLECTIONS" ]; then
    die "--cc-collections: no such file: ${CL_CC_COLLECTIONS}"
  fi
  if [ "$CL_CC_TLS" = true ] && ! tls_dir_complete "$(cc_tls_dir)"; then
    die "the chaincode server's TLS key pair is missing ($(cc_tls_dir)): 'network.sh up' did not" \
      "finish; run it again (or deploy with --cc-tls false)."
  fi
  if [ "$CL_MODE" = docker ]; then
    docker_usable || die "deployCC in Docker mode needs a running Docker engine and Compose (docker compose or docker-compose)."
    return 0
  fi
  require_cmd npm "to build the chaincode (npm run build -w chaincode)"
  [ -f "${CL_REPO_ROOT}/node_modules/fabric-shim/cli.js" ] ||
    die "fabric-shim is not installed (${CL_REPO_ROOT}/node_modules/fabric-shim/cli.js, the chaincode server):" \
      "run 'npm ci' in ${CL_REPO_ROOT}."
  # A port answered by anything but our own chaincode server on that port
  # would take the peers' connections (and ours would die at start). A server
  # started before its port was recorded holds the one asked for.
  local ours=''
  if pid_alive "$(cc_server_name)"; then
    ours=$(cat "${CL_RUN_DIR}/chaincode/server.port" 2>/dev/null || echo "$CL_CC_PORT")
  fi
  if [ "$ours" != "$CL_CC_PORT" ] && port_in_use "$CL_CC_PORT"; then
    die "127.0.0.1:${CL_CC_PORT} (the chaincode server's port) is in use by another program." \
      "Stop it, or deploy a new version on another port (--cc-version V --cc-port PORT)."
  fi
}

# require_issuer ORG: what addUser needs to issue a certificate for ORG.
require_issuer() {
  local org=$1 name _
  [ -d "$(org_dir "$org")" ] ||
    die "the network in ${CL_RUN_DIR} has no crypto material for $(org_msp "$org"): 'network.sh up' did not" \
      "finish; run it again."
  if [ "$CL_USE_CA" != true ]; then
    require_repo_installed
    require_cmd npm "to issue the certificate (npm run certs -- enroll)"
    return 0
  fi
  require_fabric_cli fabric-ca-client
  read -r name _ <<<"$(ca_of "$org")"
  node_alive "$name" || die "the Fabric CA of $(org_msp "$org") (${name}) is not running: start it with" \
    "'network.sh up' (it starts only what is stopped); $(node_log_hint "$name")."
  msp_dir_complete "$(ca_client_home "$name")/msp" ||
    die "the registrar of ${name} is not enrolled ($(ca_client_home "$name")/msp): 'network.sh up' did not" \
      "finish; run it again."
}
