# shellcheck shell=bash
# createChannel: the channel's genesis block from configtx.yaml, joined by
# every orderer through the channel participation API (osnadmin) and by every
# peer. Anchor peers (peer0 of each organisation) are in the genesis block's
# organisation definitions, so no separate anchor-peer update is needed.
# Each step skips what is already done. Sourced by network.sh.

channel_block() { echo "${CL_RUN_DIR}/channel-artifacts/${CL_CHANNEL}.block"; }

create_genesis_block() {
  local block
  block=$(channel_block)
  if [ -f "$block" ]; then
    log_info "genesis block exists: $block"
    return 0
  fi
  mkdir -p "$(dirname "$block")"
  log_info "creating the genesis block of '${CL_CHANNEL}' (configtxgen, profile HealthChannel)"
  FABRIC_CFG_PATH=${CL_RUN_DIR}/configtx run_logged "${CL_RUN_DIR}/logs/cli.log" \
    configtxgen -profile HealthChannel -outputBlock "$block" -channelID "$CL_CHANNEL"
}

# osnadmin exits 0 whatever the HTTP status, so the status line is read.
join_orderers() {
  local k out
  for k in $(orderer_indices); do
    if osnadmin_cmd "$k" channel list --channelID "$CL_CHANNEL" 2>/dev/null | grep -q '^Status: 200'; then
      log_info "  $(orderer_name "$k"): already in ${CL_CHANNEL}"
      continue
    fi
    out=$(osnadmin_cmd "$k" channel join --channelID "$CL_CHANNEL" --config-block "$(channel_block)" 2>&1 || true)
    printf '%s\n' "$out" >>"${CL_RUN_DIR}/logs/cli.log"
    case $out in
      'Status: 201'*) log_info "  $(orderer_name "$k"): joined ${CL_CHANNEL}" ;;
      *) die "$(orderer_name "$k") did not join ${CL_CHANNEL}: ${out}" ;;
    esac
  done
}

# peer_joined: 0 when the peer named by the CLI environment has joined
# CL_CHANNEL, 1 when it has not, 2 when `peer channel list` failed (the peer
# could not be asked; CL_PEER_ERROR says why).
peer_joined() {
  local list
  peer_query list channel list || return 2
  printf '%s\n' "$list" | grep -qx "$CL_CHANNEL"
}

join_peers() {
  local org p i
  for org in $CL_ORGS; do
    for p in $(peer_indices); do
      use_peer "$org" "$p"
      if peer_joined; then
        log_info "  $(peer_name "$org" "$p"): already in ${CL_CHANNEL}"
        continue
      fi
      # A fresh orderer needs a moment to elect a Raft leader before it can
      # serve the blocks a joining peer asks for; retry a few times.
      for i in 1 2 3 4 5; do
        if peer channel join -b "$(channel_block)" >>"${CL_RUN_DIR}/logs/cli.log" 2>&1; then break; fi
        [ "$i" -lt 5 ] || die "$(peer_name "$org" "$p") could not join ${CL_CHANNEL}; see ${CL_RUN_DIR}/logs/cli.log"
        sleep 2
      done
      log_info "  $(peer_name "$org" "$p"): joined ${CL_CHANNEL}"
    done
  done
}
