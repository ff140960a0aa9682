# shellcheck shell=bash
# Messages and exits for network.sh. Sourced; not executable on its own.
# Output goes to stderr so that a command's own result (status, package id)
# can be read from stdout.

if [ -t 2 ]; then
  CL_C_RED=$'\033[31m' CL_C_GREEN=$'\033[32m' CL_C_YELLOW=$'\033[33m' CL_C_RESET=$'\033[0m'
else
  CL_C_RED='' CL_C_GREEN='' CL_C_YELLOW='' CL_C_RESET=''
fi

log_info() { printf '%s\n' "$*" >&2; }
log_ok() { printf '%s%s%s\n' "$CL_C_GREEN" "$*" "$CL_C_RESET" >&2; }
log_warn() { printf '%swarning: %s%s\n' "$CL_C_YELLOW" "$*" "$CL_C_RESET" >&2; }

# die MESSAGE...: a failure of the environment or of Fabric; exit 1.
die() {
  printf '%serror: %s%s\n' "$CL_C_RED" "$*" "$CL_C_RESET" >&2
  exit 1
}

# usage_error MESSAGE: a bad command line; print usage and exit 2.
usage_error() {
  # shellcheck disable=SC2034 # read by on_exit (lib/preconditions.sh)
  CL_USAGE_ERROR=true
  printf '%serror: %s%s\n\n' "$CL_C_RED" "$*" "$CL_C_RESET" >&2
  usage_short >&2
  exit 2
}

# run_logged LOGFILE CMD...: run a command, keep its output in LOGFILE, and on
# failure show the tail of it.
run_logged() {
  local log=$1
  shift
  if ! "$@" >>"$log" 2>&1; then
    log_info "command failed: $*"
    tail -n 20 "$log" >&2 || true
    die "see $log"
  fi
}
