# shellcheck shell=bash
# Default certificates: the project's own tooling (`npm run certs`, the
# toolkit's certificate CLI that the embedded network's layout comes from;
# network/scripts/certs.js). It writes
# cryptogen's layout, which is the one the other libraries expect. Sourced by
# network.sh.

# certs ARGS...: the project's certificate CLI, output kept in the CLI log.
certs() {
  run_logged "${CL_RUN_DIR}/logs/certs.log" npm --prefix "$CL_REPO_ROOT" run --silent certs -- "$@"
}

# certs_orgs: --orgs value, MSPID:type for each organisation.
certs_orgs() {
  local org out=''
  for org in $CL_ORGS; do out="${out:+$out,}$(org_msp "$org"):$(org_type "$org")"; done
  echo "$out"
}

generate_crypto() {
  local dir=${CL_RUN_DIR}/organizations
  if [ -d "$dir/peerOrganizations" ]; then
    log_info "crypto material exists: $dir"
  else
    log_info "generating crypto material (npm run certs -- init)"
    # Every node's TLS certificate names the node, localhost and 127.0.0.1.
    certs init --out "$dir" --orgs "$(certs_orgs)" --peers "$CL_PEERS" \
      --orderer-org "$CL_ORDERER_MSP" --orderers "$CL_ORDERERS"
  fi
  issue_cc_tls
}

# issue_cc_tls: the chaincode server's TLS key pair, signed by the orderer
# organisation's TLS CA (the certificate tooling issues node and user
# certificates only, so this one is made with openssl from the same CA).
issue_cc_tls() {
  local tls ca_dir ext
  tls=$(cc_tls_dir)
  tls_dir_complete "$tls" && return 0
  require_cmd openssl "to issue the chaincode server's TLS certificate"
  ca_dir=$(orderer_org_dir)/tlsca
  mkdir -p "$tls"
  ext=$tls/san.cnf
  printf '%s\n' "subjectAltName=DNS:${CL_CC_SERVER_NAME},DNS:localhost,IP:127.0.0.1" \
    'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' \
    'basicConstraints=critical,CA:FALSE' >"$ext"
  (
    umask 077
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tls/server.key" 2>/dev/null
  )
  openssl req -new -key "$tls/server.key" -subj "/O=${CL_ORDERER_MSP}/CN=${CL_CC_SERVER_NAME}" -out "$tls/server.csr"
  openssl x509 -req -in "$tls/server.csr" -CA "$ca_dir/tlsca.${CL_ORDERER_DOMAIN}-cert.pem" -CAkey "$ca_dir/priv_sk" \
    -set_serial "0x$(random_secret)" -days 365 -sha256 -extfile "$ext" -out "$tls/server.crt" 2>/dev/null ||
    die "openssl could not issue the chaincode server's TLS certificate"
  cp "$ca_dir/tlsca.${CL_ORDERER_DOMAIN}-cert.pem" "$tls/ca.crt"
  rm -f "$tls/server.csr" "$ext"
}

# certs_add_user ORG NAME ROLE [K=V...]: a client (or admin) identity with
# Fabric CA attributes role=ROLE and each K=V.
certs_add_user() {
  local org=$1 name=$2 role=$3 kv args=()
  shift 3
  for kv in "$@"; do args+=(--attr "$kv"); done
  certs enroll --out "${CL_RUN_DIR}/organizations" --org "$(org_msp "$org")" --name "$name" --role "$role" \
    "${args[@]+"${args[@]}"}"
}
