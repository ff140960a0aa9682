# shellcheck shell=bash
# Environment for the Fabric CLIs (peer, osnadmin) run on the host, acting
# as an organisation's admin. Sourced by network.sh.

orderer_tls_ca() { echo "$(orderer_dir 0)/tls/ca.crt"; }
# The first orderer's client endpoint, as seen from the host.
orderer_endpoint() { echo "127.0.0.1:$(orderer_port 0)"; }

# use_peer ORG P: point the peer CLI at peer P of ORG as ORG's admin.
use_peer() {
  export FABRIC_CFG_PATH=${CL_RUN_DIR}/config
  export CORE_PEER_TLS_ENABLED=true
  export CORE_PEER_LOCALMSPID
  CORE_PEER_LOCALMSPID=$(org_msp "$1")
  export CORE_PEER_MSPCONFIGPATH
  CORE_PEER_MSPCONFIGPATH=$(org_admin_msp "$1")
  export CORE_PEER_ADDRESS
  CORE_PEER_ADDRESS=127.0.0.1:$(peer_port "$1" "$2")
  export CORE_PEER_TLS_ROOTCERT_FILE
  CORE_PEER_TLS_ROOTCERT_FILE=$(peer_dir "$1" "$2")/tls/ca.crt
}

# require_cli_config: the peer CLI's core.yaml that `up` put in RUN_DIR/config.
# Without it every peer command fails ("Config File \"core\" Not Found"), which
# would read as peers not joined and no chaincode committed.
require_cli_config() {
  [ -f "${CL_RUN_DIR}/config/core.yaml" ] ||
    die "the peer CLI's core.yaml is missing (${CL_RUN_DIR}/config/core.yaml): run 'network.sh up' again" \
      "(it copies it from Fabric's config directory and skips what runs)."
}

# peer_query VAR ARGS...: `peer ARGS...` with its stdout in VAR. When it fails,
# its last line on stderr (Fabric's error, without colours and log prefix) is in CL_PEER_ERROR
# and the status is 1, so that a caller can tell "the answer is no" from "the
# peer could not be asked".
peer_query() {
  local var=$1 err out status=0
  shift
  mkdir -p "${CL_RUN_DIR}/logs"
  err=${CL_RUN_DIR}/logs/peer-query.$$.err
  out=$(peer "$@" 2>"$err") || status=$?
  # shellcheck disable=SC2034 # read by the callers
  CL_PEER_ERROR=$(sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' "$err" | sed -n '$p' |
    sed 's/^[0-9-]* [0-9:.]* [A-Z]* [0-9a-f]* [A-Z]* \[[^]]*\] [^ ]* -> //')
  rm -f "$err"
  printf -v "$var" '%s' "$out"
  [ "$status" = 0 ] || return 1
}

# osnadmin_cmd K ARGS...: osnadmin against orderer K's admin endpoint, with
# the orderer's TLS key pair as the client certificate (its admin endpoint
# requires mutual TLS from the orderer organisation's TLS CA).
osnadmin_cmd() {
  local k=$1 tls
  shift
  tls=$(orderer_dir "$k")/tls
  osnadmin "$@" -o "127.0.0.1:$(orderer_admin_port "$k")" --ca-file "$tls/ca.crt" \
    --client-cert "$tls/server.crt" --client-key "$tls/server.key"
}

# prepare_cli_config: a core.yaml for the peer CLI in RUN_DIR/config: the
# Fabric config directory's (native, or --fabric-cfg) or the peer image's.
prepare_cli_config() {
  mkdir -p "${CL_RUN_DIR}/config"
  [ ! -f "${CL_RUN_DIR}/config/core.yaml" ] || return 0
  if [ "$CL_MODE" = docker ] && [ -z "$CL_FABRIC_CFG" ]; then
    docker run --rm "hyperledger/fabric-peer:${CL_FABRIC_VERSION}" cat /etc/hyperledger/fabric/core.yaml \
      >"${CL_RUN_DIR}/config/core.yaml" || die "could not read core.yaml from hyperledger/fabric-peer:${CL_FABRIC_VERSION}"
  else
    local cfg
    cfg=$(fabric_config_dir)
    cp "$cfg/core.yaml" "$cfg/orderer.yaml" "${CL_RUN_DIR}/config/"
    # Native peers launch chaincode only through the ccaas builder: no Docker
    # endpoint, so that their /healthz does not fail on a Docker daemon that
    # is not there (an empty CORE_VM_ENDPOINT does not override core.yaml).
    sed -i 's#^\( *endpoint:\) unix:///var/run/docker.sock$#\1 ""#' "${CL_RUN_DIR}/config/core.yaml"
  fi
}
