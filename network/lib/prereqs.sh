# shellcheck shell=bash
# Checks that what a command needs is installed, and says where to get it.
# Sourced by network.sh.

CL_FABRIC_LINE=2.5
CL_FABRIC_RELEASES=https://github.com/hyperledger/fabric/releases
CL_FABRIC_CA_RELEASES=https://github.com/hyperledger/fabric-ca/releases

# fabric_bin_version BIN: the version a Fabric binary reports (e.g. 2.5.5), or
# nothing. `peer` and `orderer` have a `version` command, configtxgen a
# `-version` flag (its `version` is taken as an argument and ignored); a
# failing attempt must not end the script (set -e, pipefail).
fabric_bin_version() {
  local arg version
  for arg in version -version; do
    version=$({ "$1" "$arg" 2>/dev/null || true; } | sed -n 's/^ *Version: *v\{0,1\}\([0-9][0-9.]*\).*/\1/p' | head -n 1)
    if [ -n "$version" ]; then
      echo "$version"
      return 0
    fi
  done
}

# require_fabric_cli BIN: BIN is on PATH (the version is checked once, at `up`).
require_fabric_cli() {
  local bin=$1 url=$CL_FABRIC_RELEASES needs
  command -v "$bin" >/dev/null 2>&1 && return 0
  case $bin in fabric-ca-*) url=$CL_FABRIC_CA_RELEASES ;; esac
  if [ "$CL_MODE" = native ]; then
    needs="Native mode needs Fabric ${CL_FABRIC_LINE}.x binaries (peer, orderer, configtxgen, osnadmin;"
    needs="$needs fabric-ca-server and fabric-ca-client with --ca)."
  else
    needs="Docker mode runs the Fabric ${CL_FABRIC_LINE}.x CLIs on the host (peer, configtxgen, osnadmin;"
    needs="$needs fabric-ca-client with --ca)."
  fi
  die "'$bin' was not found on PATH. ${needs} Download a release from ${url}" \
    "(e.g. hyperledger-fabric-linux-amd64-2.5.x.tar.gz) and put its bin/ on PATH$(
      [ "$CL_MODE" != native ] || echo ', or use --mode docker')."
}

# require_fabric_bin BIN: BIN is on PATH and of the Fabric 2.5 line.
require_fabric_bin() {
  local bin=$1 version url=$CL_FABRIC_RELEASES
  case $bin in fabric-ca-*) url=$CL_FABRIC_CA_RELEASES ;; esac
  require_fabric_cli "$bin"
  # osnadmin has no version command; fabric-ca-* are of their own line.
  case $bin in fabric-ca-* | osnadmin) return 0 ;; esac
  version=$(fabric_bin_version "$bin")
  case $version in
    "${CL_FABRIC_LINE}".*) ;;
    '')
      # A build from source without the release's version flags says `Version: latest`.
      log_warn "$(command -v "$bin") reports no release version ($(fabric_bin_commit "$bin")). The version is" \
        "checked because CareLedger needs the Fabric ${CL_FABRIC_LINE} line: the channel's V2_5 application" \
        "capability, the peers' Gateway service and osnadmin channel participation. Going on: a binary older" \
        "than ${CL_FABRIC_LINE} fails at createChannel (capability V2_5 not supported)."
      ;;
    *) die "$(command -v "$bin") is version ${version}; CareLedger needs the Fabric ${CL_FABRIC_LINE} line (${url})" ;;
  esac
}

# fabric_bin_commit BIN: "commit <sha>" as BIN's version output names it, or "no commit named".
fabric_bin_commit() {
  local sha
  sha=$({ "$1" version 2>/dev/null || true; } | sed -n 's/^ *Commit SHA: *\([0-9a-f]*\).*/\1/p' | head -n 1)
  if [ -n "$sha" ]; then echo "commit ${sha}"; else echo 'no commit named'; fi
}

require_cmd() {
  local bin=$1 why=$2
  command -v "$bin" >/dev/null 2>&1 || die "'$bin' was not found on PATH; it is needed ${why}."
}

# docker_compose_cmd: print the Compose command that works here, or nothing.
docker_compose_cmd() {
  if docker compose version >/dev/null 2>&1; then
    echo 'docker compose'
  elif command -v docker-compose >/dev/null 2>&1; then
    echo docker-compose
  fi
}

# docker_usable: an engine answers and Compose is installed.
docker_usable() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && [ -n "$(docker_compose_cmd)" ]
}

# resolve_mode: turn CL_MODE=auto into docker or native, or explain why neither.
resolve_mode() {
  case $CL_MODE in
    docker | native) ;;
    auto)
      if docker_usable; then
        CL_MODE=docker
      elif command -v peer >/dev/null 2>&1 && command -v orderer >/dev/null 2>&1; then
        CL_MODE=native
      else
        die "no way to run Fabric nodes here: Docker (engine + Compose) did not answer and" \
          "'peer'/'orderer' are not on PATH. Install Docker (https://docs.docker.com/engine/install/)" \
          "or Fabric ${CL_FABRIC_LINE}.x binaries (${CL_FABRIC_RELEASES}), or force a mode with --mode docker|native."
      fi
      log_info "mode: ${CL_MODE} (chosen automatically; force with --mode docker|native)"
      ;;
    *) usage_error "--mode must be auto, docker or native, not '${CL_MODE}'" ;;
  esac
}

# require_prereqs: everything `up` and later commands need in the chosen mode.
require_prereqs() {
  local bin
  require_cmd node "to generate certificates and the connection file (Node.js 20.19+, https://nodejs.org)"
  # configtxgen, osnadmin and the peer CLI run on the host in both modes.
  for bin in peer configtxgen osnadmin; do require_fabric_bin "$bin"; done
  if [ "$CL_MODE" = native ]; then
    require_fabric_bin orderer
    if [ "$CL_USE_CA" = true ]; then
      require_fabric_bin fabric-ca-server
      require_fabric_bin fabric-ca-client
    fi
  else
    docker_usable || die "Docker mode needs a running Docker engine and Compose (docker compose or docker-compose)."
    [ "$CL_USE_CA" != true ] || require_fabric_bin fabric-ca-client
  fi
}

# fabric_config_dir: the directory with Fabric's core.yaml and orderer.yaml
# (native mode): --fabric-cfg, else $FABRIC_CFG_PATH, else ../config beside peer.
fabric_config_dir() {
  local dir=$CL_FABRIC_CFG
  if [ -z "$dir" ] && command -v peer >/dev/null 2>&1; then
    dir=$(cd "$(dirname "$(command -v peer)")/.." && pwd)/config
  fi
  local missing='' file
  for file in core.yaml orderer.yaml; do [ -f "${dir:-/nonexistent}/$file" ] || missing="${missing:+${missing} and }${file}"; done
  if [ -n "$missing" ]; then
    die "native mode needs Fabric's default core.yaml and orderer.yaml (the config/ directory of a" \
      "Fabric ${CL_FABRIC_LINE} release, or sampleconfig/ of its source). Looked in '${dir:-<none>}':" \
      "no ${missing} there; pass --fabric-cfg DIR. Get them from ${CL_FABRIC_RELEASES}."
  fi
  echo "$dir"
}
