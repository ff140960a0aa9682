# shellcheck shell=bash
# The settings `up` fixes for the life of a network, saved in
# RUN_DIR/network.state: later commands read them, and a later `up` keeps them.
# Sourced by network.sh.

# Settings an administrator chooses at `up` (each has a flag, or an environment
# variable of the same name); the secrets generated at the first `up` follow.
CL_SETTING_KEYS="CL_MODE CL_ORDERERS CL_PEERS CL_STATE_DB CL_USE_CA CL_BATCH_TIMEOUT CL_BATCH_SIZE
  CL_GATEWAY_CONCURRENCY CL_FABRIC_VERSION CL_CA_VERSION CL_COUCHDB_VERSION CL_FABRIC_CFG CL_LOG_SPEC"
CL_SECRET_KEYS="CL_COUCHDB_USER CL_COUCHDB_PASSWORD CL_CA_ADMIN_PASSWORD"
CL_STATE_KEYS="$CL_SETTING_KEYS $CL_SECRET_KEYS"

state_file() { echo "${CL_RUN_DIR}/network.state"; }

save_state() {
  local key
  mkdir -p "$CL_RUN_DIR"
  (
    umask 077
    for key in $CL_STATE_KEYS; do printf '%s=%q\n' "$key" "${!key}"; done >"$(state_file)"
  )
}

# load_state: the settings of the network `up` created; fails if there is none.
load_state() {
  [ -f "$(state_file)" ] || die "no network in ${CL_RUN_DIR}: run 'network.sh up' first (or pass --run-dir)"
  # shellcheck source=/dev/null
  . "$(state_file)"
}

# saved_value KEY: KEY's value in the state file (as the shell reads it back).
saved_value() {
  (
    # shellcheck source=/dev/null
    . "$(state_file)"
    printf '%s' "${!1:-}"
  )
}

# setting_flag KEY: the option that sets KEY.
setting_flag() {
  case $1 in
    CL_MODE) echo --mode ;; CL_ORDERERS) echo --orderers ;; CL_PEERS) echo --peers ;;
    CL_STATE_DB) echo --state ;; CL_USE_CA) echo --ca ;; CL_BATCH_TIMEOUT) echo --batch-timeout ;;
    CL_BATCH_SIZE) echo --batch-size ;; CL_GATEWAY_CONCURRENCY) echo --gateway-concurrency ;;
    CL_FABRIC_VERSION) echo --fabric-version ;; CL_CA_VERSION) echo --ca-version ;;
    CL_COUCHDB_VERSION) echo --couchdb-version ;; CL_FABRIC_CFG) echo --fabric-cfg ;;
    CL_LOG_SPEC) echo --log-spec ;; *) echo "$1" ;;
  esac
}

# given_settings: the settings set by a flag or the environment, before
# network.env fills in the defaults (a space-separated list of keys).
given_settings() {
  local key out=''
  for key in $CL_SETTING_KEYS; do [ -z "${!key+x}" ] || out="$out $key"; done
  echo "$out"
}

# adopt_saved_settings GIVEN: a later `up` on an existing network keeps its
# settings. Nothing `up` fixes can change on a running network (the topology,
# the crypto material, the genesis block's batch settings, the nodes' env files
# of nodes that already run), so an option given with another value is refused
# rather than saved and silently not applied; --mode auto accepts the saved mode.
adopt_saved_settings() {
  local given=" $1 " key saved shown
  for key in $CL_SETTING_KEYS; do
    saved=$(saved_value "$key")
    case $given in
      *" $key "*)
        if [ "${!key}" != "$saved" ] && ! { [ "$key" = CL_MODE ] && [ "${!key}" = auto ]; }; then
          shown="with $(setting_flag "$key") ${saved:-''}"
          if [ "$key" = CL_USE_CA ]; then
            if [ "$saved" = true ]; then shown='with --ca'; else shown='without --ca'; fi
          fi
          die "the network in ${CL_RUN_DIR} was created ${shown}; $(setting_flag "$key") cannot change while" \
            "it exists. Leave the option out to keep it, or run 'network.sh down' (which removes" \
            "${CL_RUN_DIR}) and then 'network.sh up' with the new value."
        fi
        ;;
    esac
    printf -v "$key" '%s' "$saved"
  done
  for key in $CL_SECRET_KEYS; do printf -v "$key" '%s' "$(saved_value "$key")"; done
}
