# shellcheck shell=bash
# deployCC: CareLedger's chaincode as a service. Package (connection.json +
# metadata.json type ccaas), start the chaincode server, install on every
# peer, approve by every organisation, commit, then initialise the
# organisation registry. Re-running with a new --cc-version upgrades the
# definition (next sequence). Sourced by network.sh.

cc_label() { echo "${CL_CC_NAME}_${CL_CC_VERSION}"; }
cc_package_file() { echo "${CL_RUN_DIR}/chaincode/$(cc_label).tar.gz"; }
cc_server_name() { echo "$CL_CC_SERVER_NAME"; }
# The chaincode server's TLS key pair (issued by the orderer organisation's
# TLS CA at `up`).
cc_tls_dir() { echo "$(orderer_org_dir)/ccaas/${CL_CC_SERVER_NAME}/tls"; }

# json_get JSON PATH: a field of a JSON document (PATH like .sequence), or
# nothing (also when the text is no JSON: a CLI's error). Node is a
# prerequisite already, so no jq.
json_get() {
  node -e 'let v; try { v = JSON.parse(process.argv[1]); } catch { process.exit(0); } for (const k of process.argv[2].split(".").filter(Boolean)) v = v == null ? undefined : v[k]; if (v !== undefined && v !== null) process.stdout.write(String(v));' "$1" "$2"
}

# cc_connection_json: the connection.json a package for the current options
# holds (the chaincode server's address and TLS root certificate).
cc_connection_json() {
  local tls=false root_cert=''
  if [ "$CL_CC_TLS" = true ]; then
    tls=true
    root_cert=$(cat "$(cc_tls_dir)/ca.crt")
  fi
  node -e '
    const [address, tls, rootCert] = process.argv.slice(1);
    const c = { address, dial_timeout: "10s", tls_required: tls === "true" };
    if (c.tls_required) Object.assign(c, { client_auth_required: false, root_cert: rootCert });
    process.stdout.write(JSON.stringify(c, null, 2) + "\n");
  ' "$(node_host "$(cc_server_name)"):${CL_CC_PORT}" "$tls" "$root_cert"
}

# write_cc_package: RUN_DIR/chaincode/<label>.tar.gz, a ccaas package. The
# package ID is a hash of the tarball, which holds timestamps: an unchanged
# package is kept as it is, so re-running deployCC finds the same ID the
# committed definition names (a new tarball would leave the peers launching a
# package whose server is no longer running).
write_cc_package() {
  local dir=${CL_RUN_DIR}/chaincode/pkg new
  new=${dir}.new
  rm -rf "$new"
  mkdir -p "$new/src"
  cc_connection_json >"$new/src/connection.json"
  printf '{"type":"ccaas","label":"%s"}\n' "$(cc_label)" >"$new/metadata.json"
  if [ -f "$(cc_package_file)" ] && cmp -s "$new/metadata.json" "$dir/metadata.json" &&
    cmp -s "$new/src/connection.json" "$dir/src/connection.json"; then
    rm -rf "$new"
    return 0
  fi
  rm -rf "$dir"
  mv "$new" "$dir"
  tar -C "$dir/src" -czf "$dir/code.tar.gz" connection.json
  tar -C "$dir" -czf "$(cc_package_file)" metadata.json code.tar.gz
}

# packaged_connection_json: the connection.json inside this label's package, or nothing.
packaged_connection_json() {
  [ -f "$(cc_package_file)" ] || return 0
  tar -xzOf "$(cc_package_file)" code.tar.gz 2>/dev/null | tar -xzO connection.json 2>/dev/null || true
}

# next_sequence COMMITTED_VERSION COMMITTED_SEQUENCE: the sequence to deploy
# (--cc-sequence, or auto: the committed one for the same version, the next
# for another), refused before anything is installed when Fabric would refuse
# it at approval: a sequence is either the committed one, for the same
# definition, or the next one.
next_sequence() {
  local version=$1 committed=${2:-0} seq=$CL_CC_SEQUENCE
  if [ "$seq" = auto ]; then
    if [ "$version" = "$CL_CC_VERSION" ]; then echo "$committed"; else echo $((committed + 1)); fi
    return 0
  fi
  if [ "$seq" = "$committed" ] && [ "$version" != "$CL_CC_VERSION" ]; then
    die "--cc-sequence ${seq}: sequence ${seq} of ${CL_CC_NAME} is committed with version ${version};" \
      "version ${CL_CC_VERSION} needs sequence $((committed + 1)) (or leave --cc-sequence out)."
  fi
  if [ "$seq" != "$committed" ] && [ "$seq" != $((committed + 1)) ]; then
    die "--cc-sequence ${seq}: ${CL_CC_NAME} is committed at sequence ${committed}$(
      [ "$committed" != 0 ] || echo ' (not yet)') on '${CL_CHANNEL}'; the next definition is" \
      "sequence $((committed + 1)) (or leave --cc-sequence out)."
  fi
  echo "$seq"
}

# require_committed_package: with no new definition to commit (same version
# and sequence), the peers go on launching the committed package, so the
# package must be that one: another chaincode server address or TLS setting
# would make a new package that no definition names.
require_committed_package() {
  local packaged
  packaged=$(packaged_connection_json)
  [ "$packaged" != "$(cc_connection_json)" ] || return 0
  if [ -z "$packaged" ]; then
    die "${CL_CC_NAME} ${CL_CC_VERSION} is committed on '${CL_CHANNEL}', but its package is missing" \
      "($(cc_package_file)): deploy it as a new version (--cc-version V)."
  fi
  die "${CL_CC_NAME} ${CL_CC_VERSION} is committed with another chaincode server address or TLS setting" \
    "(--cc-port, --cc-tls) than these options give; the peers would go on launching the committed package." \
    "Repeat the options it was deployed with, or deploy a new version (--cc-version V)."
}

# cc_server_problem: with CL_COMMITTED_VERSION committed (query_committed),
# what is wrong when its chaincode server does not run, or nothing. The peers
# launch a ccaas chaincode by dialling that server, so without it every call
# fails; `up` does not start it (after `down --keep-data`, a reboot, a crash),
# deployCC with the same options does and changes nothing else.
cc_server_problem() {
  local options="--cc-version ${CL_COMMITTED_VERSION}" port
  node_alive "$(cc_server_name)" && return 0
  port=$(cat "${CL_RUN_DIR}/chaincode/server.port" 2>/dev/null || true)
  [ -z "$port" ] || options="${options} --cc-port ${port}"
  echo "the chaincode server $(cc_server_name) of ${CL_CC_NAME} ${CL_COMMITTED_VERSION} is not running: run" \
    "'network.sh deployCC ${options}' (the options it was deployed with), which starts it again and changes" \
    "nothing else"
}

# start_cc_server PACKAGE_ID: the chaincode process (native) or container
# (Docker) for this package id; an older one is stopped first.
start_cc_server() {
  local id=$1 name
  name=$(cc_server_name)
  if [ "$CL_MODE" = docker ]; then
    export CL_CC_PACKAGE_ID=$id CL_CC_TLS_DIR=''
    [ "$CL_CC_TLS" != true ] || CL_CC_TLS_DIR=$(cc_tls_dir)
    touch "${CL_RUN_DIR}/.cc-compose"
    log_info "building and starting the chaincode container ${name} (network/chaincode.Dockerfile)"
    compose -f "${CL_NETWORK_DIR}/compose/compose-chaincode.yaml" up -d --build
    return 0
  fi
  if pid_alive "$name" && [ "$(cat "${CL_RUN_DIR}/chaincode/server.id" 2>/dev/null)" = "$id" ]; then
    log_info "  ${name}: already serving ${id}"
    return 0
  fi
  stop_process "$name"
  log_info "building the chaincode (npm run build -w chaincode)"
  # shellcheck disable=SC2016 # $1 expands in the inner shell
  run_logged "${CL_RUN_DIR}/logs/cli.log" bash -c 'cd "$1" && npm run build -w chaincode' _ "$CL_REPO_ROOT"
  local args=(server --chaincode-address "127.0.0.1:${CL_CC_PORT}" --chaincode-id "$id")
  if [ "$CL_CC_TLS" = true ]; then
    args+=(--chaincode-tls-cert-file "$(cc_tls_dir)/server.crt" --chaincode-tls-key-file "$(cc_tls_dir)/server.key")
  fi
  start_process "$name" '' "${CL_REPO_ROOT}/chaincode" \
    node "${CL_REPO_ROOT}/node_modules/fabric-shim/cli.js" "${args[@]}"
  echo "$id" >"${CL_RUN_DIR}/chaincode/server.id"
  echo "$CL_CC_PORT" >"${CL_RUN_DIR}/chaincode/server.port"
  wait_for_port 127.0.0.1 "$CL_CC_PORT" "$name"
}

install_on_peers() {
  local org p id=$1
  for org in $CL_ORGS; do
    for p in $(peer_indices); do
      use_peer "$org" "$p"
      if peer lifecycle chaincode queryinstalled 2>/dev/null | grep -qF "Package ID: ${id},"; then
        log_info "  $(peer_name "$org" "$p"): already installed"
        continue
      fi
      run_logged "${CL_RUN_DIR}/logs/cli.log" peer lifecycle chaincode install "$(cc_package_file)"
      log_info "  $(peer_name "$org" "$p"): installed"
    done
  done
}

# query_committed: CL_COMMITTED_VERSION and CL_COMMITTED_SEQUENCE of the
# definition committed on CL_CHANNEL, both empty when there is none (Fabric
# answers "404 - namespace NAME is not defined"). Status 1, with Fabric's
# message in CL_PEER_ERROR, when HospitalA's peer0 could not say: that is no
# "not committed" (deployCC would then approve sequence 1 over a committed one).
query_committed() {
  local json
  CL_COMMITTED_VERSION='' CL_COMMITTED_SEQUENCE=''
  use_peer hospitala 0
  if ! peer_query json lifecycle chaincode querycommitted -C "$CL_CHANNEL" -n "$CL_CC_NAME" -O json; then
    case $CL_PEER_ERROR in *"status: 404 - namespace ${CL_CC_NAME} is not defined"*) return 0 ;; esac
    return 1
  fi
  # shellcheck disable=SC2034 # read by network.sh (deployCC, status)
  CL_COMMITTED_VERSION=$(json_get "$json" version)
  # shellcheck disable=SC2034
  CL_COMMITTED_SEQUENCE=$(json_get "$json" sequence)
}

# definition_flags SEQUENCE: the flags approve, checkcommitreadiness and
# commit must agree on.
definition_flags() {
  DEF_FLAGS=(--channelID "$CL_CHANNEL" --name "$CL_CC_NAME" --version "$CL_CC_VERSION" --sequence "$1")
  [ -z "$CL_CC_POLICY" ] || DEF_FLAGS+=(--signature-policy "$CL_CC_POLICY")
  [ -z "$CL_CC_COLLECTIONS" ] || DEF_FLAGS+=(--collections-config "$CL_CC_COLLECTIONS")
}

orderer_flags() {
  ORDERER_FLAGS=(-o "$(orderer_endpoint)" --tls --cafile "$(orderer_tls_ca)")
}

# peer0_flags: --peerAddresses/--tlsRootCertFiles for peer0 of every org.
peer0_flags() {
  local org
  PEER_FLAGS=()
  for org in $CL_ORGS; do
    PEER_FLAGS+=(--peerAddresses "127.0.0.1:$(peer_port "$org" 0)" --tlsRootCertFiles "$(peer_dir "$org" 0)/tls/ca.crt")
  done
}

approve_by_orgs() {
  local id=$1 seq=$2 org msp readiness
  definition_flags "$seq"
  orderer_flags
  for org in $CL_ORGS; do
    use_peer "$org" 0
    msp=$(org_msp "$org")
    readiness=$(peer lifecycle chaincode checkcommitreadiness "${DEF_FLAGS[@]}" -O json 2>/dev/null || true)
    if [ "$(json_get "$readiness" "approvals.${msp}")" = true ]; then
      log_info "  ${msp}: already approved sequence ${seq}"
      continue
    fi
    run_logged "${CL_RUN_DIR}/logs/cli.log" peer lifecycle chaincode approveformyorg "${ORDERER_FLAGS[@]}" \
      "${DEF_FLAGS[@]}" --package-id "$id"
    log_info "  ${msp}: approved sequence ${seq}"
  done
}

commit_definition() {
  local seq=$1
  definition_flags "$seq"
  orderer_flags
  peer0_flags
  use_peer hospitala 0
  run_logged "${CL_RUN_DIR}/logs/cli.log" peer lifecycle chaincode commit "${ORDERER_FLAGS[@]}" "${DEF_FLAGS[@]}" "${PEER_FLAGS[@]}"
  log_info "  committed ${CL_CC_NAME} ${CL_CC_VERSION} at sequence ${seq}"
}

# registry_json: the organisation registry for Organizations:bootstrap.
registry_json() {
  local org sep='' out='['
  for org in $CL_ORGS; do
    out="${out}${sep}{\"mspId\":\"$(org_msp "$org")\",\"type\":\"$(org_type "$org")\",\"name\":\"$(org_display_name "$org")\"}"
    sep=','
  done
  echo "${out}]"
}

# init_registry: Organizations:bootstrap once (skipped when the registry
# already lists organisations). The CLI signs as HospitalA's admin, whose
# certificate carries role=admin.
init_registry() {
  local listed count args
  use_peer hospitala 0
  listed=$(peer chaincode query -C "$CL_CHANNEL" -n "$CL_CC_NAME" -c '{"function":"Organizations:list","Args":[]}' 2>/dev/null || true)
  count=$(json_get "$listed" length)
  if [ -n "$count" ] && [ "$count" != 0 ]; then
    log_info "  organisation registry already initialised"
    return 0
  fi
  args=$(node -e 'process.stdout.write(JSON.stringify({ function: "Organizations:bootstrap", Args: [process.argv[1]] }))' "$(registry_json)")
  orderer_flags
  peer0_flags
  # The peers connect to the chaincode server on first use; give it a moment.
  for _ in 1 2 3 4 5; do
    if peer chaincode invoke "${ORDERER_FLAGS[@]}" -C "$CL_CHANNEL" -n "$CL_CC_NAME" "${PEER_FLAGS[@]}" \
      -c "$args" --waitForEvent >>"${CL_RUN_DIR}/logs/cli.log" 2>&1; then
      log_info "  organisation registry initialised: $(registry_json)"
      return 0
    fi
    sleep 3
  done
  tail -n 20 "${CL_RUN_DIR}/logs/cli.log" >&2
  die "Organizations:bootstrap failed; see ${CL_RUN_DIR}/logs/cli.log"
}
