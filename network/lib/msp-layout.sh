# shellcheck shell=bash
# Helpers shared by both certificate back ends: Fabric's MSP folder layout
# with NodeOUs. Sourced by network.sh.

# write_node_ous MSPDIR: config.yaml classifying identities by OU, against
# the CA certificate in MSPDIR/cacerts/ca.crt.
write_node_ous() {
  cat >"$1/config.yaml" <<'YAML'
NodeOUs:
  Enable: true
  ClientOUIdentifier:
    Certificate: cacerts/ca.crt
    OrganizationalUnitIdentifier: client
  PeerOUIdentifier:
    Certificate: cacerts/ca.crt
    OrganizationalUnitIdentifier: peer
  AdminOUIdentifier:
    Certificate: cacerts/ca.crt
    OrganizationalUnitIdentifier: admin
  OrdererOUIdentifier:
    Certificate: cacerts/ca.crt
    OrganizationalUnitIdentifier: orderer
YAML
}

# write_org_msp MSPDIR CA_CERT TLS_CA_CERT: an organisation's channel MSP
# (what configtx.yaml's MSPDir points at): CA certificates and NodeOUs only.
write_org_msp() {
  mkdir -p "$1/cacerts" "$1/tlscacerts"
  cp "$2" "$1/cacerts/ca.crt"
  cp "$3" "$1/tlscacerts/ca.crt"
  write_node_ous "$1"
}

# random_secret: 32 hex characters from the kernel's random source.
random_secret() {
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# node_hosts NAME: the host names a node's TLS certificate must carry: its
# container name (Docker), and the loopback names (native, host-side CLIs).
node_hosts() { echo "$1,localhost,127.0.0.1"; }

# tls_dir_complete DIR: DIR has server.crt, server.key and ca.crt.
tls_dir_complete() { [ -s "$1/server.crt" ] && [ -s "$1/server.key" ] && [ -s "$1/ca.crt" ]; }
# msp_dir_complete DIR: DIR has a signing certificate and a key.
msp_dir_complete() {
  [ -n "$(ls -A "$1/signcerts" 2>/dev/null)" ] && [ -n "$(ls -A "$1/keystore" 2>/dev/null)" ]
}
