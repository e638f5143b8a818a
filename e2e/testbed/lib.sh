# shellcheck shell=bash
# shellcheck disable=SC2034  # the names and addresses are used by the scripts that source this
# Shared by bed.sh and cluster.sh: names, the addressing plan, the bed's recorded state, and
# small helpers. Sourced, never run. The plan is described in README.md beside this file.

TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KEDGE_ROOT=$(cd "$TESTBED_DIR/../.." && pwd)

# Network namespace names are global to the machine, so there is one bed per machine; what it is
# made of is recorded here, apart from the data dir, so that cut/restore and a tear-down of a
# half-made bed work without knowing where its data lives.
RUN_DIR=${KEDGE_TESTBED_RUN_DIR:-/run/kedge-testbed}
NETNS_DIR=/var/run/netns

CLOUD_NS=cloud
CLOUD_IP=10.200.0.1            # on the cloud's loopback: server, registry and DNS stub listen here
HOST_IF=kedge-cloud            # the root namespace's veth into the cloud
HOST_IP=10.200.255.1
CLOUD_HOST_IF=host             # its peer inside the cloud
CLOUD_HOST_IP=10.200.255.2
SERVER_PORT=6443
REGISTRY_PORT=5000
REGISTRY="$CLOUD_IP:$REGISTRY_PORT"
DEFAULT_CLUSTER_CIDR=10.42.0.0/16
CNI_BIN_DIR=${KEDGE_CNI_BIN_DIR:-/usr/lib/cni}
LOSS_TAG=kedge-testbed-loss    # iptables comment on the loss rules, so that `clear` finds them
UPLINK_CUT_TAG=kedge-testbed-uplink-cut   # iptables comment on a node's uplink-cut rules in its site router
CLOUD_UNIT_TAG=kedge-testbed-cloud-unit   # iptables comment on the rule that keeps edge sites out of a cloud unit

log() { printf '%s\n' "$*"; }
warn() { printf 'kedge: %s\n' "$*" >&2; }
die() { printf 'kedge: %s\n' "$*" >&2; exit 1; }

# --- addressing -----------------------------------------------------------------------------

unit_gw_ns() { printf '%s-gw' "$1"; }
uplink_cloud_ip() { printf '10.200.%s.1' "$1"; }   # unit index
uplink_gw_ip() { printf '10.200.%s.2' "$1"; }
lan_cidr() { printf '10.201.%s.0/24' "$1"; }
lan_gw_ip() { printf '10.201.%s.1' "$1"; }
node_ip() { printf '10.201.%s.%s' "$1" "$((10 + $2))"; }   # unit index, node number
node_unit() { printf '%s' "${1%-*}"; }
node_number() { printf '%s' "${1##*-}"; }

# --- validation -----------------------------------------------------------------------------

valid_unit_name() {
  [[ $1 =~ ^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$ ]] && [ "$1" != "$CLOUD_NS" ] && [[ $1 != *-gw ]]
}

# parse_units SPEC: fills UNIT_NAMES and UNIT_COUNTS from "east:2,west:2".
parse_units() {
  local spec=$1 item name count
  UNIT_NAMES=(); UNIT_COUNTS=()
  [ -n "$spec" ] || die "--units is empty; give UNIT:COUNT[,UNIT:COUNT...], e.g. east:2,west:2"
  IFS=',' read -r -a items <<<"$spec"
  for item in "${items[@]}"; do
    [[ $item == *:* ]] || die "--units entry '$item' is not UNIT:COUNT (e.g. east:2)"
    name=${item%%:*}; count=${item#*:}
    valid_unit_name "$name" || die "unit name '$name' is invalid: use 1-12 lowercase letters, digits and '-', starting with a letter, not 'cloud' and not ending in '-gw'"
    [[ $count =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 200 ] \
      || die "unit '$name' has node count '$count'; it must be a whole number from 1 to 200"
    local seen
    for seen in "${UNIT_NAMES[@]}"; do [ "$seen" != "$name" ] || die "unit '$name' is listed twice in --units"; done
    UNIT_NAMES+=("$name"); UNIT_COUNTS+=("$count")
  done
  [ "${#UNIT_NAMES[@]}" -le 250 ] || die "at most 250 units fit the addressing plan"
}

require_root() {
  [ "$(id -u)" = 0 ] || die "the test bed needs root: it creates network namespaces, veths, bridges and mounts, and runs containerd. Run it as root, e.g. sudo $*"
}

require_netns() {
  command -v ip >/dev/null 2>&1 || die "'ip' is missing: install Debian's iproute2"
  command -v nsenter >/dev/null 2>&1 || die "'nsenter' is missing: install Debian's util-linux"
  unshare --net true 2>/dev/null || die "this machine does not allow network namespaces (a kernel without CONFIG_NET_NS, or a container without CAP_SYS_ADMIN). Run kedge up on a VM or a host, or in a privileged container"
}

require_commands() {
  local c missing=()
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  [ "${#missing[@]}" -eq 0 ] || die "missing commands: ${missing[*]}; './kedge up' installs them from Debian, or install containerd runc containernetworking-plugins iptables iproute2 docker-registry busybox-static curl yourself"
}

# --- namespaces and processes ---------------------------------------------------------------

ns_exists() { [ -e "$NETNS_DIR/$1" ]; }
in_ns() { local ns=$1; shift; nsenter --net="$NETNS_DIR/$ns" -- "$@"; }

# daemon NS LOG PIDFILE CMD...: starts CMD in network namespace NS, in its own session (so that
# it outlives the caller and its terminal), with no stdin and its output in LOG. The command
# writes its own pid before it execs, so PIDFILE is right however setsid and nsenter fork.
daemon() {
  local ns=$1 logf=$2 pidf=$3; shift 3
  rm -f "$pidf"
  # shellcheck disable=SC2016  # $$ and $@ belong to the inner shell
  setsid nsenter --net="$NETNS_DIR/$ns" -- sh -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$@" \
    </dev/null >>"$logf" 2>&1 &
  local i
  for i in $(seq 1 100); do [ -s "$pidf" ] && return 0; sleep 0.05; done
  die "could not start $1 (see $logf)"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -s "$1" ] && cat "$1" || true; }

# stop_pid PID [SECONDS]: TERM, then KILL after the grace time.
stop_pid() {
  local pid=$1 grace=${2:-10} i
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 $((grace * 10))); do pid_alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do pid_alive "$pid" || return 0; sleep 0.1; done
}

# wait_for SECONDS CMD...: polls CMD until it succeeds.
wait_for() {
  local secs=$1 _; shift
  for _ in $(seq 1 $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

# --- recorded state -------------------------------------------------------------------------

# The data dir of the bed that owns the namespaces now, or nothing.
owner_data_dir() { [ -s "$RUN_DIR/data-dir" ] && cat "$RUN_DIR/data-dir" || true; }

# units file: one "NAME INDEX COUNT" line per unit
recorded_units() { [ -s "$RUN_DIR/units" ] && cat "$RUN_DIR/units" || true; }

recorded_nodes() {
  local name index count n
  while read -r name index count; do
    for n in $(seq 1 "$count"); do printf '%s-%s\n' "$name" "$n"; done
  done < <(recorded_units)
}

unit_index() {
  local name index count
  while read -r name index count; do [ "$name" = "$1" ] && { printf '%s' "$index"; return 0; }; done < <(recorded_units)
  return 1
}

unit_node_count() {
  local name index count
  while read -r name index count; do [ "$name" = "$1" ] && { printf '%s' "$count"; return 0; }; done < <(recorded_units)
  return 1
}

# grep reads all of its input here: with pipefail, an early exit would fail the producer (SIGPIPE)
is_recorded_node() { recorded_nodes | grep -x -- "$1" >/dev/null; }
is_recorded_unit() { unit_index "$1" >/dev/null; }

# Layout of one node's files in the data dir.
node_dir() { printf '%s/nodes/%s' "$DATA_DIR" "$1"; }
containerd_socket() { printf '%s/nodes/%s/containerd/containerd.sock' "$DATA_DIR" "$1"; }
cni_conf_dir() { printf '%s/nodes/%s/cni/net.d' "$DATA_DIR" "$1"; }

default_data_dir() { printf '%s/.kedge/up' "${HOME:-/root}"; }

absolute_dir() { mkdir -p "$1" && (cd "$1" && pwd -P); }
