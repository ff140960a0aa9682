#!/usr/bin/env bash
# CareLedger on a real Hyperledger Fabric 2.5 network, for administrators.
# See network/README.md and `network.sh -h`.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

CL_NETWORK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CL_REPO_ROOT=$(cd "${CL_NETWORK_DIR}/.." && pwd)

# shellcheck source=lib/log.sh
. "${CL_NETWORK_DIR}/lib/log.sh"
# shellcheck source=lib/usage.sh
. "${CL_NETWORK_DIR}/lib/usage.sh"
# shellcheck source=lib/topology.sh
. "${CL_NETWORK_DIR}/lib/topology.sh"
# shellcheck source=lib/state.sh
. "${CL_NETWORK_DIR}/lib/state.sh"
# shellcheck source=lib/prereqs.sh
. "${CL_NETWORK_DIR}/lib/prereqs.sh"
# shellcheck source=lib/msp-layout.sh
. "${CL_NETWORK_DIR}/lib/msp-layout.sh"
# shellcheck source=lib/crypto.sh
. "${CL_NETWORK_DIR}/lib/crypto.sh"
# shellcheck source=lib/fabric-ca.sh
. "${CL_NETWORK_DIR}/lib/fabric-ca.sh"
# shellcheck source=lib/configtx.sh
. "${CL_NETWORK_DIR}/lib/configtx.sh"
# shellcheck source=lib/node-env.sh
. "${CL_NETWORK_DIR}/lib/node-env.sh"
# shellcheck source=lib/native.sh
. "${CL_NETWORK_DIR}/lib/native.sh"
# shellcheck source=lib/docker.sh
. "${CL_NETWORK_DIR}/lib/docker.sh"
# shellcheck source=lib/cli-env.sh
. "${CL_NETWORK_DIR}/lib/cli-env.sh"
# shellcheck source=lib/channel.sh
. "${CL_NETWORK_DIR}/lib/channel.sh"
# shellcheck source=lib/chaincode.sh
. "${CL_NETWORK_DIR}/lib/chaincode.sh"
# shellcheck source=lib/connection.sh
. "${CL_NETWORK_DIR}/lib/connection.sh"
# shellcheck source=lib/users.sh
. "${CL_NETWORK_DIR}/lib/users.sh"
# shellcheck source=lib/preconditions.sh
. "${CL_NETWORK_DIR}/lib/preconditions.sh"

network_up() {
  [ ! -f "$(state_file)" ] || adopt_saved_settings "$CL_GIVEN"
  resolve_mode
  [ -n "$CL_COUCHDB_PASSWORD" ] || CL_COUCHDB_PASSWORD=$(random_secret)
  [ -n "$CL_CA_ADMIN_PASSWORD" ] || CL_CA_ADMIN_PASSWORD=$(random_secret)
  require_up_prereqs
  mkdir -p "${CL_RUN_DIR}/logs"
  save_state
  # The administrator starts native CouchDBs with the password just saved.
  require_couchdb_native
  begin_changes up
  log_info "network: ${CL_ORDERERS} orderer(s), ${CL_PEERS} peer(s) per organisation, ${CL_STATE_DB}," \
    "BatchTimeout ${CL_BATCH_TIMEOUT}, MaxMessageCount ${CL_BATCH_SIZE}, run directory ${CL_RUN_DIR}"
  if [ "$CL_USE_CA" = true ]; then ca_generate_crypto; else generate_crypto; fi
  write_configtx "${CL_RUN_DIR}/configtx"
  write_node_env_files
  prepare_cli_config
  if [ "$CL_MODE" = docker ]; then docker_up; else native_up; fi
  write_connection_file
  log_ok "network is up (${CL_MODE}). Next: network.sh createChannel"
}

network_create_channel() {
  local bin
  load_state
  for bin in configtxgen osnadmin peer; do require_fabric_cli "$bin"; done
  require_repo_installed
  require_channel_files
  require_cli_config
  require_nodes_running createChannel
  begin_changes createChannel
  create_genesis_block
  log_info "joining orderers (osnadmin channel join)"
  join_orderers
  log_info "joining peers"
  join_peers
  write_connection_file
  log_ok "channel '${CL_CHANNEL}' created; every orderer and peer joined. Next: network.sh deployCC"
}

network_deploy_cc() {
  local id seq committed_version committed_seq
  load_state
  require_cli_config
  require_cc_prereqs
  require_nodes_running deployCC
  require_channel_joined
  query_committed || die "could not read the committed definition of ${CL_CC_NAME} on '${CL_CHANNEL}' from" \
    "$(peer_name hospitala 0) (peer lifecycle chaincode querycommitted): ${CL_PEER_ERROR:-no message}"
  committed_version=$CL_COMMITTED_VERSION
  committed_seq=$CL_COMMITTED_SEQUENCE
  seq=$(next_sequence "$committed_version" "$committed_seq")
  [ "$committed_version" != "$CL_CC_VERSION" ] || [ "$committed_seq" != "$seq" ] || require_committed_package
  begin_changes deployCC
  write_cc_package
  use_peer hospitala 0
  id=$(peer lifecycle chaincode calculatepackageid "$(cc_package_file)")
  log_info "package $(cc_package_file), id ${id}"
  start_cc_server "$id"
  log_info "installing on every peer"
  install_on_peers "$id"
  if [ "$committed_version" = "$CL_CC_VERSION" ] && [ "$committed_seq" = "$seq" ]; then
    log_info "${CL_CC_NAME} ${CL_CC_VERSION} is already committed at sequence ${seq}"
  else
    log_info "approving ${CL_CC_NAME} ${CL_CC_VERSION}, sequence ${seq}, policy ${CL_CC_POLICY:-/Channel/Application/Endorsement (MAJORITY)}"
    approve_by_orgs "$id" "$seq"
    commit_definition "$seq"
  fi
  log_info "initialising the organisation registry (Organizations:bootstrap)"
  init_registry
  write_connection_file
  wait_for_endorsers
  log_ok "chaincode '${CL_CC_NAME}' ${CL_CC_VERSION} is ready on '${CL_CHANNEL}'. Connection file: ${CL_CONNECTION_FILE}"
}

network_add_user() {
  load_state
  require_issuer "$(org_key_of_msp "$CL_USER_ORG")"
  add_user
  write_connection_file
}

# network_status: a report on stdout; exits 1 when an orderer or peer is down,
# a peer cannot be asked, or the committed chaincode's server does not run.
network_status() {
  local org stopped joined problem problems=()
  load_state
  require_fabric_cli peer
  require_cli_config
  echo "run directory: ${CL_RUN_DIR}"
  echo "mode: ${CL_MODE}; ${CL_ORDERERS} orderer(s), ${CL_PEERS} peer(s)/org, ${CL_STATE_DB}, certificates: $([ "$CL_USE_CA" = true ] && echo 'Fabric CA' || echo 'npm run certs')"
  echo "nodes:"
  if [ "$CL_MODE" = docker ]; then docker_status; else native_status; fi
  stopped=$(stopped_nodes_text)
  echo "channel ${CL_CHANNEL}:"
  for org in $CL_ORGS; do
    use_peer "$org" 0
    joined=0
    if ! node_alive "$(peer_name "$org" 0)"; then
      echo "  $(peer_name "$org" 0): not running"
      continue
    fi
    peer_joined || joined=$?
    case $joined in
      0) echo "  $(peer_name "$org" 0): joined" ;;
      1) echo "  $(peer_name "$org" 0): not joined" ;;
      *)
        echo "  $(peer_name "$org" 0): unknown (peer channel list failed: ${CL_PEER_ERROR:-no message})"
        problems+=("$(peer_name "$org" 0) could not be asked for its channels")
        ;;
    esac
  done
  if ! node_alive "$(peer_name hospitala 0)"; then
    echo "chaincode ${CL_CC_NAME}: unknown ($(peer_name hospitala 0) is not running)"
  elif ! query_committed; then
    echo "chaincode ${CL_CC_NAME}: unknown (querycommitted failed: ${CL_PEER_ERROR:-no message})"
    problems+=("$(peer_name hospitala 0) could not be asked for the committed chaincode")
  elif [ -n "$CL_COMMITTED_VERSION" ]; then
    echo "chaincode ${CL_CC_NAME}: version ${CL_COMMITTED_VERSION}, sequence ${CL_COMMITTED_SEQUENCE}"
    problem=$(cc_server_problem)
    if [ -n "$problem" ]; then
      echo "chaincode server $(cc_server_name): not running"
      problems+=("$problem")
    fi
  else
    echo "chaincode ${CL_CC_NAME}: not committed on '${CL_CHANNEL}'"
  fi
  echo "connection file: ${CL_CONNECTION_FILE}"
  if [ -n "$stopped" ]; then
    die "the network is not fully running: ${stopped}. $(restart_hint "$stopped")"
  fi
  if ((${#problems[@]})); then
    local text
    text=$(printf '%s; ' "${problems[@]}")
    die "the network is not fully usable: ${text%; }."
  fi
}

network_down() {
  if [ ! -f "$(state_file)" ]; then
    log_info "no network in ${CL_RUN_DIR}; nothing to stop"
    return 0
  fi
  load_state
  begin_changes down
  log_info "stopping the network (${CL_MODE})"
  if [ "$CL_MODE" = docker ]; then docker_down; else native_down; fi
  if [ "$CL_KEEP_DATA" = true ]; then
    log_ok "stopped; data kept in ${CL_RUN_DIR}"
  else
    # Docker's nodes write their ledgers as root.
    rm -rf "$CL_RUN_DIR" 2>/dev/null || die "the nodes are stopped, but ${CL_RUN_DIR} could not be removed" \
      "(files written by another user, such as root in the containers?): remove it by hand, e.g. sudo rm -rf ${CL_RUN_DIR}"
    log_ok "stopped; removed ${CL_RUN_DIR}"
  fi
}

absolute_path() {
  case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac
}

# need_value FLAG VALUE: a flag's value is present.
need_value() {
  if [ -z "${2:-}" ] || [ "${2#-}" != "$2" ]; then usage_error "$1 needs a value"; fi
}

# allowed COMMAND FLAG: FLAG is an option of COMMAND.
allowed() {
  local cmd=$1 flag=$2 list
  case $cmd in
    up) list='--mode --orderers --peers --state --ca --batch-timeout --batch-size --gateway-concurrency
      --fabric-version --ca-version --couchdb-version --fabric-cfg --log-spec' ;;
    createChannel) list='--channel' ;;
    deployCC) list='--channel --cc-name --cc-version --cc-sequence --cc-policy --cc-collections --cc-port --cc-tls' ;;
    addUser) list='--org --name --role --attr' ;;
    down) list='--keep-data' ;;
    status) list='' ;;
  esac
  case " $(echo "$list" | tr -s ' \n' '  ') " in *" $flag "*) return 0 ;; esac
  usage_error "$flag is not an option of '$cmd'"
}

parse_args() {
  CL_COMMAND=''
  CL_KEEP_DATA=false
  CL_USER_ATTRS=()
  while [ $# -gt 0 ]; do
    case $1 in
      -h | --help)
        usage
        exit 0
        ;;
      up | createChannel | deployCC | addUser | status | down)
        [ -z "$CL_COMMAND" ] || usage_error "one command at a time ('$CL_COMMAND' and '$1')"
        CL_COMMAND=$1
        shift
        continue
        ;;
      -*) ;;
      *)
        [ -z "$CL_COMMAND" ] || usage_error "'$1' is not an option of '$CL_COMMAND' (options start with --)"
        usage_error "unknown command '$1'"
        ;;
    esac
    [ -n "$CL_COMMAND" ] || usage_error "the command comes first, then its options ('$1')"
    local flag=$1
    case $flag in -s) flag=--state ;; -c) flag=--channel ;; -ca) flag=--ca ;; esac
    case $flag in
      --run-dir | --connection) ;;
      *) allowed "$CL_COMMAND" "$flag" ;;
    esac
    case $flag in
      --ca) CL_USE_CA=true && shift && continue ;;
      --keep-data) CL_KEEP_DATA=true && shift && continue ;;
    esac
    if [ "$flag" = --cc-policy ]; then
      # An empty policy is meaningful: the channel's default.
      [ $# -ge 2 ] || usage_error "--cc-policy needs a value"
    else
      need_value "$flag" "${2:-}"
    fi
    case $flag in
      --run-dir) CL_RUN_DIR=$(absolute_path "$2") ;;
      --connection) CL_CONNECTION_FILE=$(absolute_path "$2") ;;
      --mode) CL_MODE=$2 ;;
      --orderers) CL_ORDERERS=$2 ;;
      --peers) CL_PEERS=$2 ;;
      --state) CL_STATE_DB=$2 ;;
      --batch-timeout) CL_BATCH_TIMEOUT=$2 ;;
      --batch-size) CL_BATCH_SIZE=$2 ;;
      --gateway-concurrency) CL_GATEWAY_CONCURRENCY=$2 ;;
      --fabric-version) CL_FABRIC_VERSION=$2 ;;
      --ca-version) CL_CA_VERSION=$2 ;;
      --couchdb-version) CL_COUCHDB_VERSION=$2 ;;
      --fabric-cfg) CL_FABRIC_CFG=$(absolute_path "$2") ;;
      --log-spec) CL_LOG_SPEC=$2 ;;
      --channel) CL_CHANNEL=$2 ;;
      --cc-name) CL_CC_NAME=$2 ;;
      --cc-version) CL_CC_VERSION=$2 ;;
      --cc-sequence) CL_CC_SEQUENCE=$2 ;;
      --cc-policy) CL_CC_POLICY=$2 ;;
      --cc-collections) CL_CC_COLLECTIONS=$(absolute_path "$2") ;;
      --cc-port) CL_CC_PORT=$2 ;;
      --cc-tls) CL_CC_TLS=$2 ;;
      --org) CL_USER_ORG=$2 ;;
      --name) CL_USER_NAME=$2 ;;
      --role) CL_USER_ROLE=$2 ;;
      --attr) CL_USER_ATTRS+=("$2") ;;
    esac
    shift 2
  done
  [ -n "$CL_COMMAND" ] || usage_error "no command given"
}

# validate: option values, before anything is changed.
validate() {
  case $CL_ORDERERS in 1 | 3 | 5) ;; *) usage_error "--orderers must be 1, 3 or 5 (Raft), not '${CL_ORDERERS}'" ;; esac
  case $CL_PEERS in [1-9]) ;; *) usage_error "--peers must be 1-9, not '${CL_PEERS}'" ;; esac
  case $CL_STATE_DB in leveldb | couchdb) ;; *) usage_error "--state must be leveldb or couchdb, not '${CL_STATE_DB}'" ;; esac
  case $CL_MODE in auto | docker | native) ;; *) usage_error "--mode must be auto, docker or native, not '${CL_MODE}'" ;; esac
  [[ $CL_BATCH_TIMEOUT =~ ^[0-9]+(ms|s|m)$ ]] || usage_error "--batch-timeout must be a duration like 2s or 250ms, not '${CL_BATCH_TIMEOUT}'"
  [[ $CL_BATCH_SIZE =~ ^[1-9][0-9]*$ ]] || usage_error "--batch-size must be a positive integer, not '${CL_BATCH_SIZE}'"
  [[ $CL_GATEWAY_CONCURRENCY =~ ^[1-9][0-9]*$ ]] || usage_error "--gateway-concurrency must be a positive integer"
  [[ $CL_CC_SEQUENCE =~ ^(auto|[1-9][0-9]*)$ ]] || usage_error "--cc-sequence must be auto or a positive integer"
  [[ $CL_CC_PORT =~ ^[1-9][0-9]{0,4}$ && $CL_CC_PORT -le 65535 ]] ||
    usage_error "--cc-port must be a port number (1-65535), not '${CL_CC_PORT}'"
  case $CL_CC_TLS in true | false) ;; *) usage_error "--cc-tls must be true or false" ;; esac
  [[ $CL_CHANNEL =~ ^[a-z][a-z0-9.-]*$ ]] || usage_error "--channel must be lower case letters, digits, '.' or '-'"
  [[ $CL_CC_NAME =~ ^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$ ]] || usage_error "--cc-name '${CL_CC_NAME}' is not a valid chaincode name"
  [[ $CL_CC_VERSION =~ ^[A-Za-z0-9_.+-]+$ ]] || usage_error "--cc-version '${CL_CC_VERSION}' is not a valid version"
  [ "$CL_COMMAND" != addUser ] || validate_user_args
}

main() {
  parse_args "$@"
  # Before network.env fills in defaults: what the flags and environment set.
  CL_GIVEN=$(given_settings)
  trap 'on_exit $?' EXIT
  # Flags above set CL_* directly; network.env fills in the rest.
  # shellcheck source=network.env
  . "${CL_NETWORK_DIR}/network.env"
  CL_COUCHDB_USER=${CL_COUCHDB_USER:-admin}
  CL_COUCHDB_PASSWORD=${CL_COUCHDB_PASSWORD:-}
  CL_CA_ADMIN_PASSWORD=${CL_CA_ADMIN_PASSWORD:-}
  validate
  case $CL_COMMAND in
    up) network_up ;;
    createChannel) network_create_channel ;;
    deployCC) network_deploy_cc ;;
    addUser) network_add_user ;;
    status) network_status ;;
    down) network_down ;;
  esac
}

main "$@"
