# shellcheck shell=bash
# Default certificates: the project's own tooling (npm run certs, the same
# that the embedded network uses). Sourced by network.sh.
generate_crypto() { die "not written yet"; }
certs_add_user() { die "not written yet"; }
