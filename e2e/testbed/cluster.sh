#!/usr/bin/env bash
# `./kedge up`, `./kedge down` and `./kedge net`: a local kedge cluster on the test bed.
#
#   kedge up [--units east:2,west:2] [--cloud-nodes N] [--data-dir DIR] [--cluster-cidr CIDR] [--no-install] [--no-agents]
#            [--join kubeconfig|token] [--server-arg ARG]...
#   kedge down [--data-dir DIR]
#   kedge net cut|restore UNIT|NODE        make or heal a partition (link down/up)
#   kedge net cut-uplink NODE              the node loses the cloud but keeps its unit LAN
#   kedge net delay UNIT|NODE 200ms [JITTER]
#   kedge net loss UNIT|NODE 10%
#   kedge net clear UNIT|NODE              remove delay and loss
#   kedge net status                       links and faults
#
# `up` runs, as root: the test bed (namespace `cloud`, one per node, a bridge per unit, the
# registry with the busybox image, a containerd per node), then `kedge server` in `cloud` and one
# `kedge agent` per node in its namespace, each under a supervisor that restarts it when it dies.
# The data dir (default ~/.kedge/up) holds admin.kubeconfig, registry, logs/ and the state.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BED="$TESTBED_DIR/bed.sh"
KEDGE="$KEDGE_ROOT/kedge"
SERVER_URL="https://$CLOUD_IP:$SERVER_PORT"
SERVER_JAVA_OPTS=${KEDGE_SERVER_JAVA_OPTS:--Xmx1g}
AGENT_JAVA_OPTS=${KEDGE_AGENT_JAVA_OPTS:-}   # empty: the launcher's own options for `kedge agent` (./kedge)

DATA_DIR=
UNITS_SPEC=east:2,west:2
CLUSTER_CIDR=$DEFAULT_CLUSTER_CIDR
INSTALL=1
AGENTS=1
CLOUD_NODES=0
CLOUD_UNIT=central   # the unit of the cloud's own nodes (EdgeUnit type Cloud)
JOIN=kubeconfig      # how agents get their identity: a minted node kubeconfig, or a bootstrap token
SERVER_ARGS=()       # more flags for `kedge server`
JOIN_TOKEN=
JOIN_HASH=

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

parse_up() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --units) UNITS_SPEC=${2:?--units needs UNIT:COUNT[,UNIT:COUNT...]}; shift 2 ;;
      --units=*) UNITS_SPEC=${1#*=}; shift ;;
      --data-dir) DATA_DIR=${2:?--data-dir needs a directory}; shift 2 ;;
      --data-dir=*) DATA_DIR=${1#*=}; shift ;;
      --cluster-cidr) CLUSTER_CIDR=${2:?--cluster-cidr needs a CIDR}; shift 2 ;;
      --cluster-cidr=*) CLUSTER_CIDR=${1#*=}; shift ;;
      --cloud-nodes) CLOUD_NODES=${2:?--cloud-nodes needs a count}; shift 2 ;;
      --cloud-nodes=*) CLOUD_NODES=${1#*=}; shift ;;
      --no-install) INSTALL=0; shift ;;
      --no-agents) AGENTS=0; shift ;;
      --join) JOIN=${2:?--join needs kubeconfig or token}; shift 2 ;;
      --join=*) JOIN=${1#*=}; shift ;;
      --server-arg) SERVER_ARGS+=("${2:?--server-arg needs a flag of kedge server, e.g. --cluster-signing-duration=3m}"); shift 2 ;;
      --server-arg=*) SERVER_ARGS+=("${1#*=}"); shift ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option '$1' for 'kedge up' (see: ./kedge up --help)" ;;
    esac
  done
}

# --- packages ---------------------------------------------------------------------------------

missing_packages() {
  local need=()
  command -v containerd >/dev/null 2>&1 || need+=(containerd)
  command -v runc >/dev/null 2>&1 || need+=(runc)
  [ -x "$CNI_BIN_DIR/bridge" ] || need+=(containernetworking-plugins)
  command -v iptables >/dev/null 2>&1 || need+=(iptables)
  { command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1; } || need+=(iproute2)
  command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
  [ -x /bin/busybox ] || need+=(busybox-static)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v nsenter >/dev/null 2>&1 || need+=(util-linux)
  command -v perl >/dev/null 2>&1 || need+=(perl-base)
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || [ -f "$KEDGE_ROOT/cli/target/kedge-cli.jar" ] || need+=(maven)
  printf '%s\n' "${need[@]}"
}

install_packages() {
  local need; mapfile -t need < <(missing_packages | sed '/^$/d')
  if [ "${#need[@]}" -eq 0 ]; then log "  all there"; return 0; fi
  [ "$INSTALL" -eq 1 ] || die "missing packages: ${need[*]} (--no-install was given)"
  command -v apt-get >/dev/null 2>&1 || die "missing packages: ${need[*]}; this is not a Debian-like system, so install them yourself"
  log "  installing from Debian: ${need[*]}"
  log "  apt-get update ..."
  apt-get update -q 2>&1 | sed 's/^/    /'
  log "  apt-get install ... (a few minutes on a fresh machine)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" 2>&1 \
    | grep --line-buffered -E '^(Get:|Unpacking|Setting up|E:)' | sed -u 's/^/    /' || true
  local still; mapfile -t still < <(missing_packages | sed '/^$/d')
  [ "${#still[@]}" -eq 0 ] || die "still missing after apt-get install: ${still[*]}"
}

# --- the server and the agents ----------------------------------------------------------------

# supervised NS NAME CMD...: CMD under supervise.sh, in namespace NS.
supervised() {
  local ns=$1 name=$2; shift 2
  daemon "$ns" "$DATA_DIR/logs/supervise.log" "$DATA_DIR/run/supervise-$name.pid" \
    "$TESTBED_DIR/supervise.sh" "$name" "$DATA_DIR/run/$name.pid" "$DATA_DIR/logs/$name.log" -- "$@"
}

supervisor_alive() {
  local pid; pid=$(pid_of "$DATA_DIR/run/supervise-$1.pid")
  pid_alive "$pid" && grep -a supervise.sh "/proc/$pid/cmdline" >/dev/null 2>&1
}

server_ready() { curl -fsk -o /dev/null --max-time 3 "$SERVER_URL/readyz"; }

start_server() {
  mkdir -p "$DATA_DIR/server"
  supervised "$CLOUD_NS" server env KEDGE_SKIP_BUILD=1 "KEDGE_JAVA_OPTS=$SERVER_JAVA_OPTS" \
    "$KEDGE" server --data-dir "$DATA_DIR/server" --bind-address "$CLOUD_IP" \
    --advertise-address "$CLOUD_IP" --secure-port "$SERVER_PORT" --cluster-cidr "$CLUSTER_CIDR" \
    ${SERVER_ARGS[@]+"${SERVER_ARGS[@]}"}
  local _
  for _ in $(seq 1 180); do
    if [ -s "$DATA_DIR/server/admin.kubeconfig" ] && server_ready; then
      cp "$DATA_DIR/server/admin.kubeconfig" "$DATA_DIR/admin.kubeconfig"
      chmod 600 "$DATA_DIR/admin.kubeconfig"
      return 0
    fi
    sleep 1
  done
  die "the server did not become ready in 180s; see $DATA_DIR/logs/server.log"
}

# The agent is newer than this script may be: it is started only when the build has it, with
# the flags its --help lists.
agent_help() { KEDGE_SKIP_BUILD=1 "$KEDGE" agent --help 2>&1 || true; }
agent_available() { agent_help | grep -- '--containerd-socket' >/dev/null; }

# --join token: one bootstrap token for every node, and the CA hash it joins with, from `kedge token create`.
create_join_token() {
  local err; err=$(mktemp)
  JOIN_TOKEN=$(KEDGE_SKIP_BUILD=1 "$KEDGE" token create --data-dir "$DATA_DIR/server" --ttl 24h --server "$SERVER_URL" \
    2>"$err") || { cat "$err" >&2; rm -f "$err"; die "kedge token create failed; the agents cannot join by token"; }
  JOIN_HASH=$(sed -n 's/.* --ca-cert-hash \(sha256:[0-9a-f]*\).*/\1/p' "$err" | sed -n 1p)
  rm -f "$err"
  [ -n "$JOIN_HASH" ] || die "kedge token create printed no --ca-cert-hash; the agents cannot join by token"
}

start_agent() {
  local node=$1 help=$2 unit index n
  unit=$(node_unit "$node"); index=$(unit_index "$unit"); n=$(node_number "$node")
  local args=(--server "$SERVER_URL" --node-name "$node" --unit "$unit"
              --data-dir "$(node_dir "$node")/agent" --containerd-socket "$(containerd_socket "$node")")
  optional() { grep -q -- "$1" <<<"$help" && args+=("$@"); return 0; }
  # the node's own identity (system:node:NAME) when this build can mint it: the tunnel needs it
  local kubeconfig="$DATA_DIR/admin.kubeconfig"
  mkdir -p "$(node_dir "$node")"
  if [ "$JOIN" = token ]; then
    # as a new node joins: it asks for its own certificate, and joins again with the token if it expires
    args+=(--token "$JOIN_TOKEN" --ca-cert-hash "$JOIN_HASH")
  elif KEDGE_SKIP_BUILD=1 "$KEDGE" kubeconfig --data-dir "$DATA_DIR/server" --server "$SERVER_URL" --node "$node" \
       --out "$(node_dir "$node")/agent.kubeconfig" >/dev/null 2>&1; then
    kubeconfig="$(node_dir "$node")/agent.kubeconfig"
  fi
  [ "$JOIN" = token ] || optional --kubeconfig "$kubeconfig"
  optional --cni-conf-dir "$(cni_conf_dir "$node")"
  optional --node-ip "$(node_ip "$index" "$n")"
  optional --resolv-conf "$DATA_DIR/resolv.conf"
  mkdir -p "$(node_dir "$node")/agent"
  supervised "$node" "agent-$node" env KEDGE_SKIP_BUILD=1 "KEDGE_JAVA_OPTS=$AGENT_JAVA_OPTS" \
    "$KEDGE" agent "${args[@]}"
}

# Client credentials from admin.kubeconfig, for curl.
api_credentials() {
  local kc="$DATA_DIR/admin.kubeconfig" dir="$DATA_DIR/run/admin"
  mkdir -p "$dir"; chmod 700 "$dir"
  sed -n 's/^ *certificate-authority-data: *//p' "$kc" | sed -n 1p | base64 -d >"$dir/ca.crt"
  sed -n 's/^ *client-certificate-data: *//p' "$kc" | sed -n 1p | base64 -d >"$dir/client.crt"
  sed -n 's/^ *client-key-data: *//p' "$kc" | sed -n 1p | base64 -d >"$dir/client.key"
  chmod 600 "$dir"/*
}

# node_state NODE: "Ready", "NotReady" or "not registered".
node_state() {
  local dir="$DATA_DIR/run/admin" body
  body=$(curl -fs --max-time 5 --cacert "$dir/ca.crt" --cert "$dir/client.crt" --key "$dir/client.key" \
    "$SERVER_URL/api/v1/nodes/$1" 2>/dev/null) || { echo "not registered"; return; }
  # one condition object (they hold no nested objects) at a time, whatever the order of its fields
  if tr -d ' \n' <<<"$body" | grep -o '{[^{}]*"type":"Ready"[^{}]*}' | grep '"status":"True"' >/dev/null; then
    echo Ready
  else
    echo NotReady
  fi
}

# Each node's pod CIDR (from the server) routed inside its unit, so that the pods of a unit
# reach each other across nodes; the CIDR of a node stays the same for its life.
route_pod_cidrs() {
  local dir="$DATA_DIR/run/admin" node cidr
  while read -r node; do
    cidr=$(curl -fs --max-time 5 --cacert "$dir/ca.crt" --cert "$dir/client.crt" --key "$dir/client.key" \
      "$SERVER_URL/api/v1/nodes/$node" 2>/dev/null | tr -d ' \n' | sed -n 's/.*"podCIDR":"\([0-9./]*\)".*/\1/p') || true
    [ -z "$cidr" ] || "$BED" pod-route "$node" "$cidr" | sed 's/^/  /'
  done < <(recorded_nodes)
}

# The cloud's own nodes: a unit of type Cloud, made before its nodes join so that it never is an
# edge unit; the bed routes the cloud to its pods and keeps the sites from dialing them directly.
cloud_unit() {
  local dir="$DATA_DIR/run/admin"
  curl -fs --max-time 10 --cacert "$dir/ca.crt" --cert "$dir/client.crt" --key "$dir/client.key" \
    -H 'Content-Type: application/json' -X POST "$SERVER_URL/apis/edge.kedge.io/v1alpha1/edgeunits" \
    -d "{\"apiVersion\":\"edge.kedge.io/v1alpha1\",\"kind\":\"EdgeUnit\",\"metadata\":{\"name\":\"$CLOUD_UNIT\"},\"spec\":{\"type\":\"Cloud\"}}" \
    >/dev/null || die "could not create the EdgeUnit $CLOUD_UNIT (type Cloud) for the cloud nodes"
  "$BED" cloud-unit "$CLOUD_UNIT" | sed 's/^/  /'
}

wait_for_nodes() {
  local nodes; mapfile -t nodes < <(recorded_nodes)
  local _ node ready
  for _ in $(seq 1 60); do
    ready=0
    for node in "${nodes[@]}"; do [ "$(node_state "$node")" != Ready ] || ready=$((ready + 1)); done
    [ "$ready" -lt "${#nodes[@]}" ] || return 0
    sleep 2
  done
  return 0   # the summary shows which ones are not ready
}

# --- commands ---------------------------------------------------------------------------------

summary() {
  local agents=$1 node index
  log ""
  log "kedge is up (data in $DATA_DIR)"
  log "  nodes:"
  while read -r node; do
    index=$(unit_index "$(node_unit "$node")")
    if [ "$agents" = 1 ]; then
      log "    $node  unit $(node_unit "$node")  $(node_ip "$index" "$(node_number "$node")")  $(node_state "$node")"
    else
      log "    $node  unit $(node_unit "$node")  $(node_ip "$index" "$(node_number "$node")")  (no agent)"
    fi
  done < <(recorded_nodes)
  [ "$agents" = 1 ] || log "  agents: not started: this build has no 'kedge agent' yet; the bed, the server, the containerds and the registry are up"
  log "  server:     $SERVER_URL (namespace $CLOUD_NS; log $DATA_DIR/logs/server.log)"
  log "  kubeconfig: $DATA_DIR/admin.kubeconfig"
  log "  registry:   $REGISTRY (image $REGISTRY/busybox:stable; also in $DATA_DIR/registry)"
  log "  try:        kubectl --kubeconfig $DATA_DIR/admin.kubeconfig get nodes -o wide"
  log "  partition:  ./kedge net cut $(recorded_units | sed -n '1s/ .*//p')   (heal: ./kedge net restore ...)"
  log "  stop:       ./kedge down"
}

cmd_up() {
  parse_up "$@"
  require_root "./kedge up"
  [[ $CLOUD_NODES =~ ^[0-9]+$ ]] && [ "$CLOUD_NODES" -le 50 ] || die "--cloud-nodes '$CLOUD_NODES' is not a count from 0 to 50"
  [ "$CLOUD_NODES" = 0 ] || UNITS_SPEC="$UNITS_SPEC,$CLOUD_UNIT:$CLOUD_NODES"
  parse_units "$UNITS_SPEC"
  [ "$JOIN" = kubeconfig ] || [ "$JOIN" = token ] || die "--join must be kubeconfig or token, not '$JOIN'"
  local owner; owner=$(owner_data_dir)
  # without --data-dir, a running cluster is the one meant, wherever its data is
  if [ -z "$DATA_DIR" ] && [ -n "$owner" ] && ns_exists "$CLOUD_NS"; then DATA_DIR=$owner; fi
  [ -n "$DATA_DIR" ] || DATA_DIR=$(default_data_dir)
  DATA_DIR=$(absolute_dir "$DATA_DIR")

  if [ -n "$owner" ] && ns_exists "$CLOUD_NS"; then
    [ "$owner" = "$DATA_DIR" ] || die "a kedge test bed from $owner is running; there is one per machine. Stop it with './kedge down --data-dir $owner', or use it"
    if supervisor_alive server && "$BED" status --data-dir "$DATA_DIR" >/dev/null; then
      log "kedge is already running from $DATA_DIR; nothing changed."
      api_credentials 2>/dev/null || true
      summary "$(ls "$DATA_DIR"/run/supervise-agent-*.pid >/dev/null 2>&1 && echo 1 || echo 0)"
      return 0
    fi
    die "a kedge cluster from $DATA_DIR is only partly running ('$BED status' says what); run './kedge down' and then './kedge up' again"
  fi

  log "[1/6] checking packages"
  install_packages
  require_netns
  log "[2/6] building kedge if needed"
  if [ "${KEDGE_SKIP_BUILD:-}" != 1 ]; then "$KEDGE" --version >/dev/null; fi
  [ -f "$KEDGE_ROOT/cli/target/kedge-cli.jar" ] || die "kedge is not built: $KEDGE_ROOT/cli/target/kedge-cli.jar is missing"
  log "[3/6] test bed"
  "$BED" up --data-dir "$DATA_DIR" --units "$UNITS_SPEC" --cluster-cidr "$CLUSTER_CIDR" | sed -u 's/^/  /'
  log "[4/6] kedge server in '$CLOUD_NS' on $SERVER_URL"
  start_server
  api_credentials
  [ "$CLOUD_NODES" = 0 ] || cloud_unit
  local agents=0
  if [ "$AGENTS" -eq 1 ] && agent_available; then
    log "[5/6] kedge agent on each node"
    local help node; help=$(agent_help)
    [ "$JOIN" != token ] || create_join_token
    while read -r node; do start_agent "$node" "$help"; log "  $node"; done < <(recorded_nodes)
    agents=1
    log "[6/6] waiting for the nodes to be Ready"
    wait_for_nodes
    route_pod_cidrs
  elif [ "$AGENTS" -eq 1 ]; then
    log "[5/6] kedge agent: unavailable in this build (no 'kedge agent' command yet); skipped"
  else
    log "[5/6] kedge agent: skipped (--no-agents)"
  fi
  summary "$agents"
}

cmd_down() {
  local dir=
  while [ $# -gt 0 ]; do
    case "$1" in
      --data-dir) dir=${2:?--data-dir needs a directory}; shift 2 ;;
      --data-dir=*) dir=${1#*=}; shift ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option '$1' for 'kedge down' (see: ./kedge down --help)" ;;
    esac
  done
  require_root "./kedge down"
  local owner; owner=$(owner_data_dir)
  [ -n "$dir" ] || dir=${owner:-$(default_data_dir)}
  local resolved; resolved=$(cd "$dir" 2>/dev/null && pwd -P || true)
  if { [ -z "$owner" ] || [ "$resolved" != "$owner" ]; } && [ ! -d "$dir/run" ]; then
    log "nothing to stop: no kedge test bed is up${owner:+ from $dir (one from $owner is)}"
    return 0
  fi
  "$BED" down --data-dir "$dir"
}

cmd_net() {
  local sub=${1:-}; shift || true
  case "$sub" in
    cut|cut-uplink|restore|clear) "$BED" "$sub" "$@" ;;
    delay) local t=${1:-}; shift || true; "$BED" netem "$t" delay "$@" ;;
    loss) "$BED" netem "${1:-}" loss "${2:-}" ;;
    netem) "$BED" netem "$@" ;;
    status) "$BED" links ;;
    ""|-h|--help) usage ;;
    *) die "unknown 'kedge net' command '$sub': use cut, cut-uplink, restore, delay, loss, clear or status" ;;
  esac
}

main() {
  local cmd=${1:-}; shift || true
  case "$cmd" in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    net) cmd_net "$@" ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
