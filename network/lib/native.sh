# shellcheck shell=bash
# Native mode: Fabric binaries on PATH, one background process per node, no
# containers (in the manner of fabric-samples' test-network-nano-bash). Each
# process writes RUN_DIR/logs/NAME.log and RUN_DIR/pids/NAME.pid; `down` stops
# exactly the processes named in those PID files. Sourced by network.sh.

# pid_alive NAME: the process recorded for NAME is running and is still the
# program we started (a PID may be reused after a crash or reboot).
pid_alive() {
  local file=${CL_RUN_DIR}/pids/$1.pid pid expected
  [ -f "$file" ] || return 1
  read -r pid expected <"$file" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  if [ -n "${expected:-}" ] && [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$expected" || return 1
  fi
}

# start_process NAME ENVFILE WORKDIR CMD...: start CMD in the background with
# the variables of ENVFILE (may be empty), unless NAME already runs.
start_process() {
  local name=$1 envfile=$2 workdir=$3
  shift 3
  if pid_alive "$name"; then
    log_info "  ${name}: already running (pid $(cut -d' ' -f1 "${CL_RUN_DIR}/pids/${name}.pid"))"
    return 0
  fi
  mkdir -p "${CL_RUN_DIR}/logs" "${CL_RUN_DIR}/pids"
  (
    cd "$workdir" || exit 1
    if [ -n "$envfile" ]; then
      while IFS= read -r line; do
        [ -n "$line" ] && export "${line?}"
      done <"$envfile"
    fi
    exec "$@"
  ) >>"${CL_RUN_DIR}/logs/${name}.log" 2>&1 </dev/null &
  echo "$! $(basename "$1")" >"${CL_RUN_DIR}/pids/${name}.pid"
  log_info "  ${name}: started (pid $!, log ${CL_RUN_DIR}/logs/${name}.log)"
}

# stop_process NAME: TERM, then KILL after 10 s, the process of NAME's PID file.
stop_process() {
  local pid
  pid=$(term_process "$1")
  [ -z "$pid" ] || await_stopped "$1" "$pid"
  rm -f "${CL_RUN_DIR}/pids/$1.pid"
}

# term_process NAME: TERM to the process of NAME's PID file if it is still the
# one we started; prints its PID (nothing when it was not running).
term_process() {
  local file=${CL_RUN_DIR}/pids/$1.pid pid _
  [ -f "$file" ] && pid_alive "$1" || return 0
  read -r pid _ <"$file" || return 0
  kill "$pid" 2>/dev/null || true
  echo "$pid"
}

# await_stopped NAME PID: wait up to 10 s for PID to exit after its TERM, then KILL it.
await_stopped() {
  local name=$1 pid=$2 _
  for _ in $(seq 1 20); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log_warn "${name} (pid ${pid}) ignored TERM; sending KILL"
    kill -9 "$pid" 2>/dev/null || true
  fi
  log_info "  ${name}: stopped (pid ${pid})"
}

# port_in_use PORT: something accepts connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# native_ports: "NAME PORT WHAT" for every port a native network's nodes
# listen on (each orderer's, each peer's, and with --ca each Fabric CA's).
native_ports() {
  local org p k name who port
  if [ "$CL_USE_CA" = true ]; then
    for who in orderer $CL_ORGS; do
      read -r name port <<<"$(ca_of "$who")"
      echo "$name $port listen"
      echo "$name $((port + 10)) operations"
    done
  fi
  for k in $(orderer_indices); do
    name=$(orderer_name "$k")
    echo "$name $(orderer_port "$k") listen"
    echo "$name $(orderer_admin_port "$k") admin"
    echo "$name $(orderer_ops_port "$k") operations"
  done
  for org in $CL_ORGS; do
    for p in $(peer_indices); do
      name=$(peer_name "$org" "$p")
      echo "$name $(peer_port "$org" "$p") listen"
      echo "$name $(peer_cc_port "$org" "$p") chaincode"
      echo "$name $(peer_ops_port "$org" "$p") operations"
    done
  done
}

# require_ports_free: fail before starting anything when a port a node needs
# is taken, naming both (a node would die at start with "address already in
# use", and a start-up check on the port alone would talk to the other program).
require_ports_free() {
  local name port what taken=()
  while read -r name port what; do
    if pid_alive "$name"; then continue; fi
    if port_in_use "$port"; then taken+=("127.0.0.1:${port} (${name}, ${what})"); fi
  done < <(native_ports)
  if ((${#taken[@]})); then
    local text
    text=$(printf '%s, ' "${taken[@]}")
    die "these ports are in use by another program: ${text%, }." \
      "Stop it, or run this network elsewhere (another run directory does not move its ports)."
  fi
}

# wait_for_node HOST PORT OPS_PORT NAME: until NAME's own process listens on
# PORT and its operations endpoint answers /healthz with OK, at most 30 s
# (CL_NODE_START_TIMEOUT, for tests); fails at once when the process exits.
wait_for_node() {
  local timeout=${CL_NODE_START_TIMEOUT:-30} deadline
  deadline=$((SECONDS + timeout))
  # By the clock: a node that accepts connections but hangs makes each /healthz
  # wait its 2 s read timeout, and 60 tries would be 150 s.
  while ((SECONDS < deadline)); do
    node_alive "$4" || die "$4 exited during start-up; $(node_log_hint "$4")"
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && node_healthy "$1" "$3"; then
      # Still the one that listens: a node that lost the port race has exited by now.
      sleep 0.2
      node_alive "$4" || die "$4 exited during start-up; $(node_log_hint "$4")"
      return 0
    fi
    sleep 0.5
  done
  die "$4 did not become healthy on $1:$2 (operations $1:$3/healthz) within ${timeout} s; $(node_log_hint "$4")"
}

# node_healthy HOST OPS_PORT: Fabric's operations service answers /healthz with 200.
# (In a subshell: a failed `exec` redirection would end a non-interactive shell.)
node_healthy() {
  local status
  status=$(
    exec 4<>"/dev/tcp/$1/$2" || exit 1
    printf 'GET /healthz HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" >&4
    read -r -t 2 _ code _ <&4 && echo "$code"
  ) 2>/dev/null || return 1
  [ "$status" = 200 ]
}

# wait_for_port HOST PORT NAME: until something listens, at most 30 s (nodes
# without an operations endpoint: the chaincode server, Fabric CA).
wait_for_port() {
  local _
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then
      # Still the one that listens: a server that lost the port race has exited by now.
      sleep 0.2
      node_alive "$3" || die "$3 exited during start-up; $(node_log_hint "$3")"
      return 0
    fi
    node_alive "$3" || die "$3 exited during start-up; $(node_log_hint "$3")"
    sleep 0.5
  done
  die "$3 did not listen on $1:$2 within 30 s; $(node_log_hint "$3")"
}

# node_alive NAME: the process (native) or container (Docker) of NAME runs.
node_alive() {
  if [ "$CL_MODE" = docker ]; then
    [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]
  else
    pid_alive "$1"
  fi
}

node_log_hint() {
  if [ "$CL_MODE" = docker ]; then echo "see: docker logs $1"; else echo "see ${CL_RUN_DIR}/logs/$1.log"; fi
}

native_up() {
  local org p k name
  # The peers and orderers read Fabric's default core.yaml / orderer.yaml
  # from RUN_DIR/config (prepare_cli_config); everything CareLedger changes
  # is in the env files (lib/node-env.sh).
  log_info "starting orderers and peers (native)"
  for k in $(orderer_indices); do
    name=$(orderer_name "$k")
    FABRIC_CFG_PATH=${CL_RUN_DIR}/config start_process "$name" "${CL_RUN_DIR}/env/${name}.env" "${CL_RUN_DIR}" orderer
  done
  for org in $CL_ORGS; do
    for p in $(peer_indices); do
      name=$(peer_name "$org" "$p")
      FABRIC_CFG_PATH=${CL_RUN_DIR}/config start_process "$name" "${CL_RUN_DIR}/env/${name}.env" "${CL_RUN_DIR}" peer node start
    done
  done
  for k in $(orderer_indices); do
    wait_for_node 127.0.0.1 "$(orderer_admin_port "$k")" "$(orderer_ops_port "$k")" "$(orderer_name "$k")"
  done
  for org in $CL_ORGS; do
    for p in $(peer_indices); do
      wait_for_node 127.0.0.1 "$(peer_port "$org" "$p")" "$(peer_ops_port "$org" "$p")" "$(peer_name "$org" "$p")"
    done
  done
}

# native_down: stop every process this run directory started, chaincode
# server and CAs included.
native_down() {
  local file name pid names=() pids=() i
  [ -d "${CL_RUN_DIR}/pids" ] || return 0
  # TERM to all first, then wait: a Fabric 2.5.5 node takes about 2 s to stop,
  # so one after the other took 16 s for the default network.
  for file in "${CL_RUN_DIR}"/pids/*.pid; do
    [ -e "$file" ] || continue
    name=$(basename "$file" .pid)
    pid=$(term_process "$name")
    if [ -n "$pid" ]; then
      names+=("$name")
      pids+=("$pid")
    else
      rm -f "$file"
    fi
  done
  ((${#names[@]})) || return 0
  for i in "${!names[@]}"; do
    await_stopped "${names[$i]}" "${pids[$i]}"
    rm -f "${CL_RUN_DIR}/pids/${names[$i]}.pid"
  done
}

native_status() {
  local file name
  for file in "${CL_RUN_DIR}"/pids/*.pid; do
    [ -e "$file" ] || continue
    name=$(basename "$file" .pid)
    if pid_alive "$name"; then
      printf '  %-45s running (pid %s)\n' "$name" "$(cut -d' ' -f1 "$file")"
    else
      printf '  %-45s NOT running (see logs/%s.log)\n' "$name" "$name"
    fi
  done
}
