# shellcheck shell=bash
# --ca: Fabric CA servers (one per organisation, one for the orderers) and
# fabric-ca-client enrolments. Each CA issues its organisation's enrolment
# and TLS certificates (as fabric-samples' test-network does); user
# certificates carry the same attributes as the project's own tooling
# (role, patientId, deviceId), as ecert attributes. Sourced by network.sh.

ca_home() { echo "${CL_RUN_DIR}/fabric-ca/$1"; }
ca_client_home() { echo "${CL_RUN_DIR}/fabric-ca-client/$1"; }

# ca_of ORGKEY|orderer: "NAME PORT" of that organisation's CA.
ca_of() {
  if [ "$1" = orderer ]; then echo "$(orderer_ca_name) $(orderer_ca_port)"; else echo "$(ca_name "$1") $(ca_port "$1")"; fi
}

start_cas() {
  local who name port
  log_info "starting Fabric CA servers"
  if [ "$CL_MODE" = docker ]; then
    compose -f "${CL_NETWORK_DIR}/compose/compose-ca.yaml" up -d
  fi
  for who in orderer $CL_ORGS; do
    read -r name port <<<"$(ca_of "$who")"
    mkdir -p "$(ca_home "$name")"
    if [ "$CL_MODE" = native ]; then
      FABRIC_CA_SERVER_HOME=$(ca_home "$name") FABRIC_CA_SERVER_CA_NAME=$name FABRIC_CA_SERVER_PORT=$port \
        FABRIC_CA_SERVER_TLS_ENABLED=true FABRIC_CA_SERVER_CSR_HOSTS=$(node_hosts "$name") \
        FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS=127.0.0.1:$((port + 10)) \
        start_process "$name" '' "$(ca_home "$name")" fabric-ca-server start -b "admin:${CL_CA_ADMIN_PASSWORD}"
    fi
    wait_for_port 127.0.0.1 "$port" "$name"
  done
}

# ca_client WHO ARGS...: fabric-ca-client against WHO's CA as its registrar.
ca_client() {
  local who=$1 name port
  shift
  read -r name port <<<"$(ca_of "$who")"
  fabric-ca-client "$@" --caname "$name" --tls.certfiles "$(ca_home "$name")/tls-cert.pem" \
    -H "$(ca_client_home "$name")"
}

# ca_url WHO [ID SECRET]: the CA's URL, with credentials when given.
ca_url() {
  local name port
  read -r name port <<<"$(ca_of "$1")"
  if [ $# -ge 3 ]; then echo "https://$2:$3@127.0.0.1:${port}"; else echo "https://127.0.0.1:${port}"; fi
}

enroll_registrar() {
  local who=$1 name _
  read -r name _ <<<"$(ca_of "$who")"
  msp_dir_complete "$(ca_client_home "$name")/msp" && return 0
  run_logged "${CL_RUN_DIR}/logs/fabric-ca-client.log" \
    ca_client "$who" enroll -u "$(ca_url "$who" admin "$CL_CA_ADMIN_PASSWORD")"
}

# ca_enroll WHO ID TYPE MSPDIR [ATTRS] [HOSTS]: register ID (type peer,
# orderer, admin or client; ATTRS like "role=doctor:ecert,patientId=p1:ecert")
# and enrol its MSP into MSPDIR, plus a TLS key pair into MSPDIR/../tls when
# HOSTS is given.
ca_enroll() {
  local who=$1 id=$2 type=$3 msp=$4 attrs=${5:-} hosts=${6:-} secret log=${CL_RUN_DIR}/logs/fabric-ca-client.log
  local tls
  tls=$(dirname "$msp")/tls
  if msp_dir_complete "$msp" && { [ -z "$hosts" ] || tls_dir_complete "$tls"; }; then return 0; fi
  secret=$(random_secret)
  local reg=(register --id.name "$id" --id.secret "$secret" --id.type "$type")
  [ -z "$attrs" ] || reg+=(--id.attrs "$attrs")
  run_logged "$log" ca_client "$who" "${reg[@]}" -u "$(ca_url "$who")"
  local enroll=(enroll -u "$(ca_url "$who" "$id" "$secret")" -M "$msp")
  [ -z "$hosts" ] || enroll+=(--csr.hosts "$hosts")
  run_logged "$log" ca_client "$who" "${enroll[@]}"
  mv "$msp"/cacerts/* "$msp/cacerts/ca.crt"
  write_node_ous "$msp"
  if [ -n "$hosts" ]; then
    run_logged "$log" ca_client "$who" enroll -u "$(ca_url "$who" "$id" "$secret")" -M "$tls" \
      --enrollment.profile tls --csr.hosts "$hosts"
    cp "$tls"/tlscacerts/* "$tls/ca.crt"
    cp "$tls"/signcerts/* "$tls/server.crt"
    cp "$tls"/keystore/* "$tls/server.key"
  fi
}

# ca_generate_crypto: the whole organizations/ tree from the CAs.
ca_generate_crypto() {
  local org p k name domain ca_cert
  start_cas
  log_info "enrolling nodes and admins with fabric-ca-client"
  for who in orderer $CL_ORGS; do enroll_registrar "$who"; done

  read -r name _ <<<"$(ca_of orderer)"
  ca_cert=$(ca_home "$name")/ca-cert.pem
  write_org_msp "$(orderer_org_dir)/msp" "$ca_cert" "$ca_cert"
  for k in $(orderer_indices); do
    ca_enroll orderer "$(orderer_name "$k")" orderer "$(orderer_dir "$k")/msp" '' "$(node_hosts "$(orderer_name "$k")")"
  done
  ca_enroll orderer "Admin@${CL_ORDERER_DOMAIN}" admin "$(orderer_admin_msp)"
  ca_enroll orderer "$CL_CC_SERVER_NAME" client "$(orderer_org_dir)/ccaas/${CL_CC_SERVER_NAME}/msp" '' \
    "$(node_hosts "$CL_CC_SERVER_NAME")"

  for org in $CL_ORGS; do
    domain=$(org_domain "$org")
    read -r name _ <<<"$(ca_of "$org")"
    ca_cert=$(ca_home "$name")/ca-cert.pem
    write_org_msp "$(org_dir "$org")/msp" "$ca_cert" "$ca_cert"
    for p in $(peer_indices); do
      ca_enroll "$org" "$(peer_name "$org" "$p")" peer "$(peer_dir "$org" "$p")/msp" '' "$(node_hosts "$(peer_name "$org" "$p")")"
    done
    ca_enroll "$org" "Admin@${domain}" admin "$(org_admin_msp "$org")" 'role=admin:ecert'
  done
  ca_enroll_demo_users
}

# ca_enroll_demo_users: the users `npm run certs -- init` issues without --ca
# (doctor, nurse, device, patient, technician, pharmacist), from the same list
# (scripts/demo-users.js reads @careledger/contract's demo network), so both ways give the same network.
ca_enroll_demo_users() {
  local org specs=() lines user_org name role attrs
  for org in $CL_ORGS; do specs+=("${org}:$(org_type "$org")"); done
  lines=$(cd "$CL_REPO_ROOT" && node node_modules/tsx/dist/cli.mjs "${CL_NETWORK_DIR}/scripts/demo-users.js" "${specs[@]}") ||
    die "could not list the demo users (scripts/demo-users.js)"
  log_info "enrolling the demo users with fabric-ca-client"
  while read -r user_org name role attrs; do
    [ -n "$user_org" ] || continue
    # shellcheck disable=SC2086 # attrs is a list of k=v words
    ca_add_user "$user_org" "$name" "$role" $attrs
  done <<<"$lines"
}

# ca_add_user ORG NAME ROLE ATTRS...: a client identity with role and extra
# attributes (k=v) as ecert attributes.
ca_add_user() {
  local org=$1 name=$2 role=$3 attrs kv
  shift 3
  attrs="role=${role}:ecert"
  for kv in "$@"; do attrs="${attrs},${kv}:ecert"; done
  ca_enroll "$org" "${name}@$(org_domain "$org")" client "$(org_dir "$org")/users/${name}@$(org_domain "$org")/msp" "$attrs"
}
