#!/usr/bin/env bash
# The kedge test bed: a miniature cloud and edge sites on one machine, in network namespaces.
# See README.md beside this file for the picture and the addressing plan.
#
#   bed.sh up [--data-dir DIR] [--units east:2,west:2] [--cluster-cidr CIDR]
#   bed.sh down [--data-dir DIR]
#   bed.sh status [--data-dir DIR]          exit 0 up, 3 down, 4 partly up
#   bed.sh info                             key=value lines about the bed that is up
#   bed.sh links                            each uplink and node link: up or cut, delay, loss
#   bed.sh cut|restore UNIT|NODE            link down/up: a unit's uplink, or one node's link
#   bed.sh cut-uplink NODE                  the node loses the cloud but keeps its unit LAN (its site
#                                           router drops its traffic to and from the uplink); restore undoes it
#   bed.sh netem UNIT|NODE [delay D [JITTER]] [loss P%]
#   bed.sh clear UNIT|NODE                  removes delay and loss
#   bed.sh exec NODE|cloud|UNIT-gw -- CMD...
#   bed.sh containerd-stop|containerd-start NODE
#   bed.sh reboot NODE                      a power cycle: every container killed, containerd and the
#                                           agent killed, then containerd started (the agent's supervisor
#                                           starts the agent, as an init system would)
#   bed.sh pod-route NODE CIDR              routes a node's pod CIDR in its site router (and, for a
#                                           cloud unit, in the cloud); peers' routes are the agents' job
#   bed.sh cloud-unit UNIT                  makes UNIT a part of the cloud: the cloud routes to its pods,
#                                           and nothing else may open a connection to them through it
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DATA_DIR=
UNITS_SPEC=east:2,west:2
CLUSTER_CIDR=$DEFAULT_CLUSTER_CIDR

parse_common() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --data-dir) DATA_DIR=${2:?--data-dir needs a directory}; shift 2 ;;
      --data-dir=*) DATA_DIR=${1#*=}; shift ;;
      --units) UNITS_SPEC=${2:?--units needs UNIT:COUNT[,UNIT:COUNT...]}; shift 2 ;;
      --units=*) UNITS_SPEC=${1#*=}; shift ;;
      --cluster-cidr) CLUSTER_CIDR=${2:?--cluster-cidr needs a CIDR}; shift 2 ;;
      --cluster-cidr=*) CLUSTER_CIDR=${1#*=}; shift ;;
      *) die "unknown option '$1' (see the usage at the top of $0)" ;;
    esac
  done
}

# Where the recorded bed lives, else the default; made absolute.
resolve_data_dir() {
  [ -n "$DATA_DIR" ] || DATA_DIR=$(owner_data_dir)
  [ -n "$DATA_DIR" ] || DATA_DIR=$(default_data_dir)
  DATA_DIR=$(absolute_dir "$DATA_DIR")
}

# ============================================================================================
# up
# ============================================================================================

# Each namespace is recorded before it is made, so that a failure half-way is still torn down; in
# the run dir for cut/restore, and in the data dir should the run dir be lost.
record_ns() {
  local f
  for f in "$RUN_DIR/namespaces" "$DATA_DIR/run/namespaces"; do
    grep -qx -- "$1" "$f" 2>/dev/null || echo "$1" >>"$f"
  done
}

new_ns() {
  local ns=$1
  record_ns "$ns"
  ns_exists "$ns" || ip netns add "$ns"
  ip -n "$ns" link set lo up
  in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1
}

# veth A_NS A_IF B_NS B_IF: a veth pair with one end in each namespace ("" = root namespace).
veth() {
  local ans=$1 aif=$2 bns=$3 bif=$4 tmp="kbt$$"
  ip link add "${tmp}a" type veth peer name "${tmp}b"
  if [ -n "$ans" ]; then ip link set "${tmp}a" netns "$ans"; fi
  ip link set "${tmp}b" netns "$bns"
  ip ${ans:+-n "$ans"} link set "${tmp}a" name "$aif"
  ip -n "$bns" link set "${tmp}b" name "$bif"
}

cloud_up() {
  new_ns "$CLOUD_NS"
  ip -n "$CLOUD_NS" addr add "$CLOUD_IP/32" dev lo
  veth "" "$HOST_IF" "$CLOUD_NS" "$CLOUD_HOST_IF"
  ip addr add "$HOST_IP/30" dev "$HOST_IF"
  ip link set "$HOST_IF" up
  ip -n "$CLOUD_NS" addr add "$CLOUD_HOST_IP/30" dev "$CLOUD_HOST_IF"
  ip -n "$CLOUD_NS" link set "$CLOUD_HOST_IF" up
  host_routes
}

# The root namespace reaches the cloud and the unit LANs (kubectl, the tests, the kubelet API).
host_routes() {
  ip route replace 10.200.0.0/16 via "$CLOUD_HOST_IP" dev "$HOST_IF"
  ip route replace 10.201.0.0/16 via "$CLOUD_HOST_IP" dev "$HOST_IF"
}

unit_up() {
  local unit=$1 index=$2 gw; gw=$(unit_gw_ns "$unit")
  new_ns "$gw"
  ip -n "$gw" link add lan type bridge
  ip -n "$gw" addr add "$(lan_gw_ip "$index")/24" dev lan
  ip -n "$gw" link set lan up
  veth "$CLOUD_NS" "$unit" "$gw" uplink
  ip -n "$CLOUD_NS" addr add "$(uplink_cloud_ip "$index")/30" dev "$unit"
  ip -n "$gw" addr add "$(uplink_gw_ip "$index")/30" dev uplink
  ip -n "$CLOUD_NS" link set "$unit" up
  ip -n "$gw" link set uplink up
  unit_routes "$unit" "$index"
  # a site's pods reach the cloud from behind the site router, as at a real site; node
  # addresses stay routed, so the cloud and the root namespace still see and reach them
  in_ns "$gw" iptables -t nat -A POSTROUTING -s "$CLUSTER_CIDR" -o uplink \
    -m comment --comment kedge-testbed -j MASQUERADE
}

unit_routes() {
  local unit=$1 index=$2 gw; gw=$(unit_gw_ns "$unit")
  ip -n "$gw" route replace default via "$(uplink_cloud_ip "$index")" dev uplink
  ip -n "$CLOUD_NS" route replace "$(lan_cidr "$index")" via "$(uplink_gw_ip "$index")" dev "$unit"
  local node cidr
  is_cloud_unit "$unit" && [ -s "$RUN_DIR/pod-routes" ] || return 0
  while read -r node cidr; do   # a cloud unit's pods, whose routes went with the link
    [ "$(node_unit "$node")" != "$unit" ] || ip -n "$CLOUD_NS" route replace "$cidr" via "$(uplink_gw_ip "$index")" dev "$unit"
  done <"$RUN_DIR/pod-routes"
}

node_up() {
  local node=$1 index=$2 n=$3 gw; gw=$(unit_gw_ns "$(node_unit "$node")")
  new_ns "$node"
  veth "$gw" "n$n" "$node" eth0
  ip -n "$gw" link set "n$n" master lan
  ip -n "$gw" link set "n$n" up
  ip -n "$node" addr add "$(node_ip "$index" "$n")/24" dev eth0
  ip -n "$node" link set eth0 up
  node_routes "$node"
}

node_routes() {
  local node=$1 index; index=$(unit_index "$(node_unit "$node")")
  ip -n "$node" route replace default via "$(lan_gw_ip "$index")" dev eth0
}

registry_up() {
  local dir="$DATA_DIR/cloud/registry"
  mkdir -p "$dir/data" "$DATA_DIR/logs"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
YAML
  daemon "$CLOUD_NS" "$DATA_DIR/logs/registry.log" "$DATA_DIR/run/registry.pid" \
    docker-registry serve "$dir/config.yml"
  wait_for 30 curl -fsS -o /dev/null "http://$REGISTRY/v2/" \
    || die "the registry did not answer on http://$REGISTRY/v2/ (see $DATA_DIR/logs/registry.log)"
  echo "$REGISTRY" >"$DATA_DIR/registry"
}

images_up() {
  if [ ! -s "$DATA_DIR/images/busybox.tar" ] || [ ! -s "$DATA_DIR/images/pause.tar" ]; then
    "$TESTBED_DIR/images.sh" build "$DATA_DIR/images" >/dev/null
  fi
  "$TESTBED_DIR/images.sh" push "$DATA_DIR/images" "$REGISTRY" | sed 's/^/  /'
}

dns_up() {
  local hosts="$DATA_DIR/cloud/hosts" node
  mkdir -p "$DATA_DIR/cloud"
  {
    echo "server.kedge.test $CLOUD_IP"
    echo "registry.kedge.test $CLOUD_IP"
    while read -r node; do
      echo "$node.kedge.test $(node_ip "$(unit_index "$(node_unit "$node")")" "$(node_number "$node")")"
    done < <(recorded_nodes)
  } >"$hosts"
  printf 'nameserver %s\nsearch kedge.test\n' "$CLOUD_IP" >"$DATA_DIR/resolv.conf"
  daemon "$CLOUD_NS" "$DATA_DIR/logs/dns.log" "$DATA_DIR/run/dns.pid" \
    perl "$TESTBED_DIR/dns-stub.pl" "$CLOUD_IP" "$hosts"
}

containerd_config() {
  local node=$1 dir; dir=$(node_dir "$node")
  mkdir -p "$dir/containerd/root" "$dir/containerd/state" "$dir/containerd/tmp" "$dir/containerd/opt" \
    "$dir/containerd/runc" "$(cni_conf_dir "$node")" "$dir/containerd/certs.d/$REGISTRY"
  cat >"$dir/containerd/certs.d/$REGISTRY/hosts.toml" <<TOML
server = "http://$REGISTRY"

[host."http://$REGISTRY"]
  capabilities = ["pull", "resolve", "push"]
TOML
  sed -e "s|@ROOT@|$dir/containerd/root|" -e "s|@STATE@|$dir/containerd/state|" \
    -e "s|@TEMP@|$dir/containerd/tmp|" -e "s|@OPT@|$dir/containerd/opt|" \
    -e "s|@SOCKET@|$(containerd_socket "$node")|" -e "s|@RUNC_ROOT@|$dir/containerd/runc|" \
    -e "s|@SANDBOX_IMAGE@|$REGISTRY/pause:3|" -e "s|@CNI_BIN_DIR@|$CNI_BIN_DIR|" \
    -e "s|@CNI_CONF_DIR@|$(cni_conf_dir "$node")|" -e "s|@CERTS_DIR@|$dir/containerd/certs.d|" \
    "$TESTBED_DIR/containerd.toml.tmpl" >"$dir/containerd/config.toml"
}

containerd_start() {
  local node=$1 sock; sock=$(containerd_socket "$node")
  [ "${#sock}" -le 100 ] || die "containerd's socket path $sock is longer than a unix socket allows; use a shorter --data-dir"
  local pid; pid=$(pid_of "$DATA_DIR/run/containerd-$node.pid")
  if pid_alive "$pid"; then return 0; fi
  [ -f "$(node_dir "$node")/containerd/config.toml" ] || containerd_config "$node"
  mkdir -p "$DATA_DIR/logs" "$DATA_DIR/run"
  # nsenter --net only: `ip netns exec` would remount /sys in a new mount namespace, and runc
  # then finds no cgroup mounts
  daemon "$node" "$DATA_DIR/logs/containerd-$node.log" "$DATA_DIR/run/containerd-$node.pid" \
    containerd --config "$(node_dir "$node")/containerd/config.toml"
  wait_for 60 ctr -a "$sock" version \
    || die "containerd of $node did not answer on $sock (see $DATA_DIR/logs/containerd-$node.log)"
}

# The sandbox image is local from the start, so that pods start while the uplink is cut.
containerd_images() {
  local node=$1 sock; sock=$(containerd_socket "$node")
  ctr -a "$sock" -n k8s.io images import "$DATA_DIR/images/pause.tar" >/dev/null
  ctr -a "$sock" -n k8s.io images tag --force kedge.local/pause:3 "$REGISTRY/pause:3" >/dev/null
}

bed_healthy() {
  ns_exists "$CLOUD_NS" || return 1
  pid_alive "$(pid_of "$DATA_DIR/run/registry.pid")" || return 1
  local node
  while read -r node; do
    ns_exists "$node" || return 1
    pid_alive "$(pid_of "$DATA_DIR/run/containerd-$node.pid")" || return 1
  done < <(recorded_nodes)
}

cmd_up() {
  parse_common "$@"
  require_root "./kedge up"
  require_netns
  require_commands containerd ctr runc docker-registry curl iptables tc busybox perl setsid
  [ -x "$CNI_BIN_DIR/bridge" ] || die "the CNI plugins are missing in $CNI_BIN_DIR: install Debian's containernetworking-plugins"
  parse_units "$UNITS_SPEC"
  resolve_data_dir
  mkdir -p "$RUN_DIR"

  local owner; owner=$(owner_data_dir)
  if [ -n "$owner" ]; then
    if [ "$owner" != "$DATA_DIR" ] && ns_exists "$CLOUD_NS"; then
      die "a test bed from $owner is up (namespace '$CLOUD_NS' is in use); there is one per machine. Run './kedge down --data-dir $owner' first"
    elif [ "$owner" = "$DATA_DIR" ] && bed_healthy; then
      log "the test bed from $DATA_DIR is already up; nothing changed"
      return 0
    elif [ "$owner" = "$DATA_DIR" ] && ns_exists "$CLOUD_NS"; then
      die "the test bed from $DATA_DIR is only partly up; run './kedge down --data-dir $DATA_DIR', then up again"
    fi
    clear_run_dir   # left from a bed whose namespaces are gone (a reboot)
  fi
  local ns u
  for ns in "$CLOUD_NS" "${UNIT_NAMES[@]/%/-gw}"; do
    ! ns_exists "$ns" || die "network namespace '$ns' already exists but belongs to no test bed; remove it (ip netns del $ns) or pick other unit names"
  done
  for u in "${!UNIT_NAMES[@]}"; do
    for ns in $(seq 1 "${UNIT_COUNTS[$u]}"); do
      ! ns_exists "${UNIT_NAMES[$u]}-$ns" || die "network namespace '${UNIT_NAMES[$u]}-$ns' already exists but belongs to no test bed; remove it (ip netns del ${UNIT_NAMES[$u]}-$ns) or pick other unit names"
    done
  done
  ! ip link show "$HOST_IF" >/dev/null 2>&1 || die "interface $HOST_IF already exists in the root namespace but belongs to no test bed; remove it (ip link del $HOST_IF)"

  echo "$DATA_DIR" >"$RUN_DIR/data-dir"
  : >"$RUN_DIR/units"; : >"$RUN_DIR/namespaces"; : >"$RUN_DIR/pod-routes"; : >"$RUN_DIR/cloud-units"
  for u in "${!UNIT_NAMES[@]}"; do echo "${UNIT_NAMES[$u]} $((u + 1)) ${UNIT_COUNTS[$u]}" >>"$RUN_DIR/units"; done
  echo "$CLUSTER_CIDR" >"$RUN_DIR/cluster-cidr"
  rm -rf "$DATA_DIR/logs"   # a fresh bed, fresh logs; down keeps them for a look afterwards
  mkdir -p "$DATA_DIR/run" "$DATA_DIR/logs"
  : >"$DATA_DIR/run/namespaces"
  local nodes; mapfile -t nodes < <(recorded_nodes)
  UP_DONE=0
  trap '[ "$UP_DONE" = 1 ] || warn "the test bed failed to come up; tear it down with: ./kedge down --data-dir $DATA_DIR"' EXIT

  log "[bed 1/5] network: cloud, ${#UNIT_NAMES[@]} unit(s), ${#nodes[@]} node(s)"
  cloud_up
  for u in "${!UNIT_NAMES[@]}"; do
    unit_up "${UNIT_NAMES[$u]}" "$((u + 1))"
    for ns in $(seq 1 "${UNIT_COUNTS[$u]}"); do node_up "${UNIT_NAMES[$u]}-$ns" "$((u + 1))" "$ns"; done
  done
  log "[bed 2/5] registry on $REGISTRY in '$CLOUD_NS'"
  registry_up
  log "[bed 3/5] images from busybox-static -> $REGISTRY/busybox:stable, $REGISTRY/pause:3"
  images_up
  log "[bed 4/5] DNS stub on $CLOUD_IP:53 in '$CLOUD_NS'"
  dns_up
  log "[bed 5/5] containerd on each node"
  local node
  for node in "${nodes[@]}"; do
    containerd_config "$node"
    containerd_start "$node"
    containerd_images "$node"
    log "  $node: $(node_ip "$(unit_index "$(node_unit "$node")")" "$(node_number "$node")"), containerd $(containerd_socket "$node")"
  done
  UP_DONE=1
  log "test bed up: data in $DATA_DIR, registry $REGISTRY"
}

# ============================================================================================
# down
# ============================================================================================

# NS_FILES: where the namespaces to tear down are listed (set by cmd_down).
NS_FILES=()

bed_namespaces() {
  local f
  for f in "${NS_FILES[@]}"; do [ ! -s "$f" ] || cat "$f"; done | sort -u
}

# Inode numbers of the bed's network namespaces, its nodes' pod namespaces included.
bed_netns_inodes() {
  local ns mnt
  while read -r ns; do
    [ ! -e "$NETNS_DIR/$ns" ] || stat -L -c %i "$NETNS_DIR/$ns" 2>/dev/null || true
  done < <(bed_namespaces)
  while read -r mnt; do stat -L -c %i "$mnt" 2>/dev/null || true; done < <(mounts_under "$DATA_DIR" nsfs)
}

# mounts_under DIR [FSTYPE]: mount points at or below DIR, deepest first.
mounts_under() {
  local dir=$1 type=${2:-}
  awk -v dir="$dir" -v type="$type" '{
      mp = $5; sep = 0; for (i = 7; i <= NF; i++) if ($i == "-") { sep = i; break }
      fs = $(sep + 1)
      gsub(/\\040/, " ", mp); gsub(/\\011/, "\t", mp); gsub(/\\134/, "\\", mp)
      if ((mp == dir || index(mp, dir "/") == 1) && (type == "" || fs == type)) print mp
    }' /proc/self/mountinfo | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-
}

# Processes whose network namespace is one of the bed's: supervisors, server, agents, registry,
# DNS stub, containerd, shims, and the containers (in the pods' own namespaces).
bed_pids() {
  local inodes; inodes=" $(bed_netns_inodes | tr '\n' ' ') "
  [ "$inodes" != "  " ] || return 0
  local inode path pid
  # one stat for all processes: a fork per process is slow on a busy machine
  while read -r inode path; do
    pid=${path#/proc/}; pid=${pid%%/*}
    [ "$pid" != "$$" ] || continue
    [[ $inodes != *" $inode "* ]] || echo "$pid"
  done < <(stat -L -c '%i %n' /proc/[0-9]*/ns/net 2>/dev/null || true)
}

# Supervisors first, so that nothing they watch is started again. They pass SIGTERM on to
# what they run; whatever has not exited after a few seconds goes with the sweep below.
stop_supervisors() {
  local f pid pids=() _
  for f in "$DATA_DIR"/run/supervise-*.pid; do
    [ -e "$f" ] || continue
    pid=$(pid_of "$f")
    # a recorded pid may since belong to something else
    pid_alive "$pid" && grep -a supervise.sh "/proc/$pid/cmdline" >/dev/null 2>&1 || continue
    pids+=("$pid")
  done
  [ "${#pids[@]}" -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 50); do
    for pid in "${!pids[@]}"; do pid_alive "${pids[$pid]}" || unset "pids[$pid]"; done
    [ "${#pids[@]}" -gt 0 ] || return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

# Kills the containers through containerd, so that the shims exit and unmount cleanly.
containerd_drain() {
  local node=$1 sock; sock=$(containerd_socket "$node")
  pid_alive "$(pid_of "$DATA_DIR/run/containerd-$node.pid")" || return 0
  [ -S "$sock" ] || return 0
  local ns id
  for ns in $(timeout 10 ctr -a "$sock" namespaces ls -q 2>/dev/null); do
    for id in $(timeout 10 ctr -a "$sock" -n "$ns" tasks ls -q 2>/dev/null); do
      timeout 20 ctr -a "$sock" -n "$ns" tasks delete --force "$id" >/dev/null 2>&1 || true
    done
  done
}

# Ids of the tasks and sandboxes containerd holds, as "NODE NAMESPACE ID" lines.
task_ids() {
  local d node
  for d in "$DATA_DIR"/nodes/*/containerd/state/io.containerd.runtime.v2.task/*/*; do
    [ -d "$d" ] || continue
    node=${d#"$DATA_DIR"/nodes/}; node=${node%%/*}
    echo "$node $(basename "$(dirname "$d")") $(basename "$d")"
  done
  for d in "$DATA_DIR"/nodes/*/containerd/root/io.containerd.grpc.v1.cri/sandboxes/*; do
    [ -d "$d" ] || continue
    node=${d#"$DATA_DIR"/nodes/}; node=${node%%/*}
    echo "$node k8s.io $(basename "$d")"
  done
}

# Tasks that `ctr run` started (not CRI) keep runc state in the shared default root; only the
# ones whose bundle lies in this bed's data dir are removed.
forget_runc_state() {
  local node ns id f
  while read -r node ns id; do
    f=/run/containerd/runc/$ns/$id/state.json
    [ -n "$id" ] && [ -f "$f" ] && grep -q "$DATA_DIR/" "$f" 2>/dev/null || continue
    rm -rf "/run/containerd/runc/$ns/$id"
  done
}

# Containers whose containerd was gone by the time of the tear-down were killed, not deleted, so
# runc never removed their cgroups. Only cgroups named by one of this bed's task ids go.
forget_cgroups() {
  local node ns id names=()
  while read -r node ns id; do
    [ "${#id}" -ge 12 ] || continue
    [ "${#names[@]}" -eq 0 ] || names+=(-o)
    names+=(-name "$id")
  done
  [ "${#names[@]}" -gt 0 ] || return 0
  find /sys/fs/cgroup -mindepth 2 -maxdepth 7 -depth -type d \( "${names[@]}" \) -exec rmdir {} + 2>/dev/null || true
}

# The CNI library keeps a result per sandbox in /var/lib/cni, and host-local its leases when
# the agent's config leaves dataDir at the default; without a CNI DEL (containerd is stopped,
# not asked to stop pods) those would stay behind.
forget_cni_results() {
  local node ns id f
  while read -r node ns id; do
    [ "${#id}" -ge 12 ] || continue
    rm -f /var/lib/cni/results/*-"$id"-* 2>/dev/null || true
    for f in /var/lib/cni/networks/*/*; do
      [ -f "$f" ] || continue
      [ "$(head -n1 "$f" 2>/dev/null | tr -d '\r')" != "$id" ] || rm -f "$f"
    done
  done
}

# A killed shim leaves its socket in /run/containerd/s, named by the hash of containerd's
# address, the containerd namespace and the task id.
shim_sockets() {
  local node ns id
  while read -r node ns id; do
    printf '/run/containerd/s/%s\n' "$(printf '%s/%s/%s' "$(containerd_socket "$node")" "$ns" "$id" | sha256sum | cut -d' ' -f1)"
  done
}

kill_bed_processes() {
  local round pids
  for round in 1 2 3 4 5 6 7 8 9 10; do
    mapfile -t pids < <(bed_pids)
    [ "${#pids[@]}" -gt 0 ] || return 0
    if [ "$round" -eq 1 ]; then kill -TERM "${pids[@]}" 2>/dev/null || true; sleep 1
    else kill -KILL "${pids[@]}" 2>/dev/null || true; sleep 0.3; fi
  done
  mapfile -t pids < <(bed_pids)
  [ "${#pids[@]}" -eq 0 ] || warn "processes still running in the bed's namespaces: ${pids[*]}"
}

unmount_all() {
  local round mnt
  for round in 1 2 3; do
    while read -r mnt; do
      umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true
    done < <(mounts_under "$DATA_DIR")
    [ -n "$(mounts_under "$DATA_DIR")" ] || return 0
  done
  warn "mounts still under $DATA_DIR: $(mounts_under "$DATA_DIR" | tr '\n' ' ')"
}

delete_ns() { ! ns_exists "$1" || ip netns del "$1" 2>/dev/null || warn "could not delete namespace $1"; }

# Nodes first, then the unit routers, the cloud last; each veth goes with its namespace.
delete_namespaces() {
  local all; mapfile -t all < <(bed_namespaces)
  local ns
  for ns in "${all[@]}"; do [ "$ns" = "$CLOUD_NS" ] || [[ $ns == *-gw ]] || delete_ns "$ns"; done
  for ns in "${all[@]}"; do [[ $ns != *-gw ]] || delete_ns "$ns"; done
  for ns in "${all[@]}"; do [ "$ns" != "$CLOUD_NS" ] || delete_ns "$ns"; done
  if printf '%s\n' "${all[@]}" | grep -x "$CLOUD_NS" >/dev/null && ip link show "$HOST_IF" >/dev/null 2>&1; then
    ip link del "$HOST_IF" 2>/dev/null || true
  fi
}

clear_run_dir() {
  rm -f "$RUN_DIR/data-dir" "$RUN_DIR/units" "$RUN_DIR/namespaces" "$RUN_DIR/pod-routes" \
    "$RUN_DIR/pod-routes.new" "$RUN_DIR/cluster-cidr" "$RUN_DIR/cloud-units"
  rmdir "$RUN_DIR" 2>/dev/null || true
}

cmd_down() {
  parse_common "$@"
  require_root "./kedge down"
  resolve_data_dir
  [ "$DATA_DIR" != / ] || die "refusing to use / as the data dir"
  local owner; owner=$(owner_data_dir)
  if [ "$owner" = "$DATA_DIR" ]; then
    NS_FILES=("$RUN_DIR/namespaces" "$DATA_DIR/run/namespaces")
  elif [ -n "$owner" ] && ns_exists "$CLOUD_NS"; then
    log "note: the namespaces are the bed's from $owner; only what $DATA_DIR holds is cleaned"
    NS_FILES=()
  else
    NS_FILES=("$DATA_DIR/run/namespaces")   # the run dir is gone; the data dir's copy remains
  fi

  log "stopping supervised processes"
  stop_supervisors
  local ids; ids=$(task_ids)
  local node
  for node in "$DATA_DIR"/nodes/*; do
    [ ! -d "$node" ] || containerd_drain "$(basename "$node")"
  done
  log "stopping the bed's processes"
  kill_bed_processes
  local sockets; mapfile -t sockets < <(shim_sockets <<<"$ids")
  [ "${#sockets[@]}" -eq 0 ] || rm -f "${sockets[@]}"
  forget_cni_results <<<"$ids"
  forget_runc_state <<<"$ids"
  forget_cgroups <<<"$ids"
  log "unmounting under $DATA_DIR"
  unmount_all
  log "deleting namespaces and links"
  delete_namespaces
  [ "$owner" != "$DATA_DIR" ] || clear_run_dir

  # the logs stay, for a look after a failed run; the rest goes
  local entry
  for entry in "$DATA_DIR"/* "$DATA_DIR"/.[!.]*; do
    [ -e "$entry" ] || continue
    [ "$(basename "$entry")" != logs ] || continue
    [ -z "$(mounts_under "$entry")" ] || { warn "kept $entry: something is still mounted there"; continue; }
    rm -rf "$entry"
  done
  log "test bed down (logs kept in $DATA_DIR/logs)"
}

# ============================================================================================
# status and info
# ============================================================================================

cmd_status() {
  parse_common "$@"
  resolve_data_dir
  local owner; owner=$(owner_data_dir)
  if [ -z "$owner" ] || ! ns_exists "$CLOUD_NS"; then log "test bed: down"; return 3; fi
  [ "$owner" = "$DATA_DIR" ] || { log "test bed: up from $owner (not $DATA_DIR)"; DATA_DIR=$owner; }
  local ok=1 node
  log "test bed from $DATA_DIR"
  if pid_alive "$(pid_of "$DATA_DIR/run/registry.pid")"; then log "  registry $REGISTRY: running"
  else log "  registry $REGISTRY: NOT running"; ok=0; fi
  while read -r node; do
    local state=ok
    ns_exists "$node" || { state="no namespace"; ok=0; }
    pid_alive "$(pid_of "$DATA_DIR/run/containerd-$node.pid")" || { state="$state, containerd NOT running"; ok=0; }
    log "  $node $(node_ip "$(unit_index "$(node_unit "$node")")" "$(node_number "$node")"): $state"
  done < <(recorded_nodes)
  [ "$ok" -eq 1 ] && return 0 || return 4
}

cmd_info() {
  local owner; owner=$(owner_data_dir)
  [ -n "$owner" ] && ns_exists "$CLOUD_NS" || die "no test bed is up"
  DATA_DIR=$owner
  echo "data-dir=$DATA_DIR"
  echo "registry=$REGISTRY"
  echo "cloud-ip=$CLOUD_IP"
  echo "server=https://$CLOUD_IP:$SERVER_PORT"
  echo "cluster-cidr=$(cat "$RUN_DIR/cluster-cidr" 2>/dev/null || echo "$DEFAULT_CLUSTER_CIDR")"
  local name index count node
  while read -r name index count; do echo "unit=$name $(lan_cidr "$index") $count"; done < <(recorded_units)
  while read -r node; do
    echo "node=$node $(node_ip "$(unit_index "$(node_unit "$node")")" "$(node_number "$node")") $(containerd_socket "$node") $(cni_conf_dir "$node")"
  done < <(recorded_nodes)
}

# ============================================================================================
# faults
# ============================================================================================

# target_kind NAME: "unit" or "node", or a clear error.
target_kind() {
  local t=${1:-}
  [ -n "$t" ] || die "name a unit or a node"
  if is_recorded_unit "$t"; then echo unit; return; fi
  if is_recorded_node "$t"; then echo node; return; fi
  [ -n "$(recorded_units)" ] || die "no test bed is up"
  die "'$t' is neither a unit nor a node of the test bed (units: $(recorded_units | cut -d' ' -f1 | tr '\n' ' ')nodes: $(recorded_nodes | tr '\n' ' '))"
}

# The two ends of the link a fault applies to, as "NS IF" lines.
link_ends() {
  local t=$1
  if [ "$(target_kind "$t")" = unit ]; then
    echo "$(unit_gw_ns "$t") uplink"
    echo "$CLOUD_NS $t"
  else
    echo "$t eth0"
    echo "$(unit_gw_ns "$(node_unit "$t")") n$(node_number "$t")"
  fi
}

cmd_cut() {
  local t=${1:-}; require_root "./kedge net cut"
  target_kind "$t" >/dev/null
  if [ "$(target_kind "$t")" = unit ]; then ip -n "$(unit_gw_ns "$t")" link set uplink down
  else ip -n "$t" link set eth0 down; fi
  log "cut: $t"
}

# A node's own uplink cut: the site router drops what the node sends to, or receives from, the
# uplink. Pods' traffic leaves the node masqueraded to the node's address, so it is cut as well.
uplink_cut_rules() {   # uplink_cut_rules -A|-D NODE
  local op=$1 node=$2 gw ip index
  gw=$(unit_gw_ns "$(node_unit "$node")"); index=$(unit_index "$(node_unit "$node")")
  ip=$(node_ip "$index" "$(node_number "$node")")
  in_ns "$gw" iptables "$op" FORWARD -s "$ip" -o uplink -m comment --comment "$UPLINK_CUT_TAG $node" -j DROP
  in_ns "$gw" iptables "$op" FORWARD -d "$ip" -i uplink -m comment --comment "$UPLINK_CUT_TAG $node" -j DROP
}

uplink_cut() {   # uplink_cut NODE: true when the node's own uplink is cut
  local node=$1
  in_ns "$(unit_gw_ns "$(node_unit "$node")")" iptables -S FORWARD 2>/dev/null | grep -- "$UPLINK_CUT_TAG $node\"" >/dev/null
}

cmd_cut_uplink() {
  local t=${1:-}; require_root "./kedge net cut-uplink"
  [ "$(target_kind "$t")" = node ] || die "cut-uplink takes a node; to cut a whole unit's uplink, use cut $t"
  uplink_cut "$t" || uplink_cut_rules -A "$t"
  log "uplink cut: $t (its unit LAN stays up)"
}

cmd_restore() {
  local t=${1:-}; require_root "./kedge net restore"
  target_kind "$t" >/dev/null
  if [ "$(target_kind "$t")" = node ]; then
    while uplink_cut "$t"; do uplink_cut_rules -D "$t"; done
  fi
  if [ "$(target_kind "$t")" = unit ]; then
    ip -n "$(unit_gw_ns "$t")" link set uplink up
    unit_routes "$t" "$(unit_index "$t")"   # a link that went down took its routes along
  else
    ip -n "$t" link set eth0 up
    node_routes "$t"
  fi
  log "restored: $t"
}

netem_supported() {
  local ns=$1 ifc=$2
  tc -n "$ns" qdisc replace dev "$ifc" root netem delay 0ms 2>/dev/null || return 1
  tc -n "$ns" qdisc del dev "$ifc" root 2>/dev/null || true
}

loss_rules() {   # loss_rules ADD|DEL NS IF PROBABILITY
  local op=$1 ns=$2 ifc=$3 p=$4
  in_ns "$ns" iptables -t mangle "$op" PREROUTING -i "$ifc" -m statistic --mode random --probability "$p" \
    -m comment --comment "$LOSS_TAG" -j DROP
  in_ns "$ns" iptables -t mangle "$op" POSTROUTING -o "$ifc" -m statistic --mode random --probability "$p" \
    -m comment --comment "$LOSS_TAG" -j DROP
}

clear_loss_rules() {
  local ns=$1 rule
  while read -r rule; do
    # shellcheck disable=SC2086  # the rule's own words, as iptables -S printed them
    eval "in_ns \"\$ns\" iptables -t mangle ${rule/#-A/-D}" || true
  done < <(in_ns "$ns" iptables -t mangle -S 2>/dev/null | grep -- "$LOSS_TAG" || true)
}

cmd_netem() {
  local t=${1:-}; shift || true
  require_root "./kedge net"
  target_kind "$t" >/dev/null
  local delay="" jitter="" loss=""
  while [ $# -gt 0 ]; do
    case "$1" in
      delay)
        delay=${2:?delay needs a duration, e.g. 200ms}; shift 2
        if [ $# -gt 0 ] && [[ $1 =~ ^[0-9.]+(us|ms|s)$ ]]; then jitter=$1; shift; fi ;;
      loss) loss=${2:?loss needs a percentage, e.g. 10%}; shift 2 ;;
      *) die "netem takes 'delay D [JITTER]' and 'loss P%', not '$1'" ;;
    esac
  done
  [ -n "$delay$loss" ] || die "netem needs 'delay D [JITTER]' and/or 'loss P%'"
  [ -z "$delay" ] || [[ $delay =~ ^[0-9.]+(us|ms|s)$ ]] || die "delay '$delay' is not a duration like 200ms"
  [ -z "$loss" ] || [[ $loss =~ ^([0-9]{1,2}(\.[0-9]+)?|100)%$ ]] || die "loss '$loss' is not a percentage like 10%"

  clear_faults "$t"
  local ns ifc first_ns first_if
  read -r first_ns first_if < <(link_ends "$t")
  if netem_supported "$first_ns" "$first_if"; then
    local args=()
    [ -z "$delay" ] || args+=(delay "$delay" ${jitter:+"$jitter"})
    [ -z "$loss" ] || args+=(loss "$loss")
    while read -r ns ifc; do tc -n "$ns" qdisc replace dev "$ifc" root netem "${args[@]}"; done < <(link_ends "$t")
  else
    [ -z "$delay" ] || die "this kernel has no netem qdisc (sch_netem), so delay cannot be emulated here; loss works without it (iptables statistic)"
    local p; p=$(awk -v l="${loss%\%}" 'BEGIN { printf "%.4f", l / 100 }')
    while read -r ns ifc; do loss_rules -A "$ns" "$ifc" "$p"; done < <(link_ends "$t")
  fi
  log "netem: $t${delay:+ delay $delay${jitter:+ $jitter}}${loss:+ loss $loss}"
}

clear_faults() {
  local ns ifc
  while read -r ns ifc; do
    tc -n "$ns" qdisc del dev "$ifc" root 2>/dev/null || true
    clear_loss_rules "$ns"
  done < <(link_ends "$1")
}

cmd_clear() {
  local t=${1:-}; require_root "./kedge net clear"
  target_kind "$t" >/dev/null
  clear_faults "$t"
  log "cleared: $t"
}

link_state() {   # link_state NS IF: "up" or "CUT", and any delay or loss on it
  local ns=$1 ifc=$2 state faults
  if ip -n "$ns" link show "$ifc" 2>/dev/null | grep '[<,]UP[,>]' >/dev/null; then state=up; else state=CUT; fi
  faults=$(tc -n "$ns" qdisc show dev "$ifc" 2>/dev/null | sed -n 's/.*netem[^ ]* [^ ]* //p' | sed -n 1p)
  if in_ns "$ns" iptables -t mangle -S 2>/dev/null | grep -- "-i $ifc .*$LOSS_TAG" >/dev/null; then
    faults="${faults:+$faults, }loss $(in_ns "$ns" iptables -t mangle -S 2>/dev/null | grep -- "-i $ifc .*$LOSS_TAG" \
      | sed -n 's/.*--probability \([0-9.]*\).*/\1/p' | sed -n 1p | awk '{ printf "%g%%", $1 * 100 }')"
  fi
  printf '%s%s' "$state" "${faults:+ ($faults)}"
}

cmd_links() {
  [ -n "$(recorded_units)" ] && ns_exists "$CLOUD_NS" || die "no test bed is up"
  local name index count node
  while read -r name index count; do
    log "unit $name uplink: $(link_state "$(unit_gw_ns "$name")" uplink)"
    for node in $(seq 1 "$count"); do
      log "  node $name-$node link: $(link_state "$name-$node" eth0)$(uplink_cut "$name-$node" && echo ", uplink CUT")"
    done
  done < <(recorded_units)
}

# ============================================================================================
# nodes
# ============================================================================================

cmd_exec() {
  local ns=${1:-}; shift || true
  [ "${1:-}" != -- ] || shift
  [ -n "$ns" ] && [ $# -gt 0 ] || die "usage: bed.sh exec NODE|cloud|UNIT-gw -- CMD..."
  ns_exists "$ns" || die "no network namespace '$ns' (is the test bed up?)"
  exec nsenter --net="$NETNS_DIR/$ns" -- "$@"
}

bed_data_dir() {
  DATA_DIR=$(owner_data_dir)
  [ -n "$DATA_DIR" ] && ns_exists "$CLOUD_NS" || die "no test bed is up"
}

cmd_containerd_stop() {
  local node=${1:-}; require_root "bed.sh containerd-stop"
  bed_data_dir
  is_recorded_node "$node" || die "'$node' is not a node of the test bed (nodes: $(recorded_nodes | tr '\n' ' '))"
  stop_pid "$(pid_of "$DATA_DIR/run/containerd-$node.pid")" 15
  log "containerd stopped on $node (its containers keep running under their shims)"
}

cmd_containerd_start() {
  local node=${1:-}; require_root "bed.sh containerd-start"
  bed_data_dir
  is_recorded_node "$node" || die "'$node' is not a node of the test bed (nodes: $(recorded_nodes | tr '\n' ' '))"
  containerd_start "$node"
  log "containerd running on $node"
}

cmd_reboot() {
  local node=${1:-}; require_root "bed.sh reboot"
  bed_data_dir
  is_recorded_node "$node" || die "'$node' is not a node of the test bed (nodes: $(recorded_nodes | tr '\n' ' '))"
  local agent; agent=$(pid_of "$DATA_DIR/run/agent-$node.pid")
  # the agent first, so that it does not see its containers go and react before the power is "off"
  [ -z "$agent" ] || kill -KILL "$agent" 2>/dev/null || true
  containerd_drain "$node"
  stop_pid "$(pid_of "$DATA_DIR/run/containerd-$node.pid")" 9
  containerd_start "$node"
  log "rebooted $node: its containers are gone, containerd runs again, the agent is being restarted"
}

cmd_pod_route() {
  local node=${1:-} cidr=${2:-}; require_root "bed.sh pod-route"
  is_recorded_node "$node" || die "'$node' is not a node of the test bed (nodes: $(recorded_nodes | tr '\n' ' '))"
  [[ $cidr =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/[0-9]+$ ]] || die "'$cidr' is not an IPv4 CIDR like 10.42.1.0/24"
  local unit index via
  unit=$(node_unit "$node"); index=$(unit_index "$unit"); via=$(node_ip "$index" "$(node_number "$node")")
  grep -v "^$node " "$RUN_DIR/pod-routes" >"$RUN_DIR/pod-routes.new" 2>/dev/null || true
  echo "$node $cidr" >>"$RUN_DIR/pod-routes.new"
  mv "$RUN_DIR/pod-routes.new" "$RUN_DIR/pod-routes"
  ip -n "$(unit_gw_ns "$unit")" route replace "$cidr" via "$via" dev lan
  if is_cloud_unit "$unit"; then
    ip -n "$CLOUD_NS" route replace "$cidr" via "$(uplink_gw_ip "$index")" dev "$unit"
  fi
  log "pod route: $cidr via $node ($via) in unit $unit's router$(is_cloud_unit "$unit" && echo " and in the cloud")"
}

is_cloud_unit() { grep -qx -- "$1" "$RUN_DIR/cloud-units" 2>/dev/null; }

# A cloud unit stands for the cloud's own nodes. The server reaches their pods; the edge sites do
# not, so that edge pods can only reach cloud Services through the tunnel, as at a real site.
cmd_cloud_unit() {
  local unit=${1:-}; require_root "bed.sh cloud-unit"
  is_recorded_unit "$unit" || die "'$unit' is not a unit of the test bed"
  is_cloud_unit "$unit" || echo "$unit" >>"$RUN_DIR/cloud-units"
  in_ns "$CLOUD_NS" iptables -C FORWARD -o "$unit" -m conntrack --ctstate NEW -m comment --comment "$CLOUD_UNIT_TAG" -j DROP \
    2>/dev/null || in_ns "$CLOUD_NS" iptables -A FORWARD -o "$unit" -m conntrack --ctstate NEW \
      -m comment --comment "$CLOUD_UNIT_TAG" -j DROP
  log "cloud unit: $unit"
}

main() {
  local cmd=${1:-}; shift || true
  case "$cmd" in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    info) cmd_info ;;
    links) cmd_links ;;
    cut) cmd_cut "$@" ;;
    restore) cmd_restore "$@" ;;
    cut-uplink) cmd_cut_uplink "$@" ;;
    netem) cmd_netem "$@" ;;
    clear) cmd_clear "$@" ;;
    exec) cmd_exec "$@" ;;
    containerd-stop) cmd_containerd_stop "$@" ;;
    containerd-start) cmd_containerd_start "$@" ;;
    reboot) cmd_reboot "$@" ;;
    pod-route) cmd_pod_route "$@" ;;
    cloud-unit) cmd_cloud_unit "$@" ;;
    ""|-h|--help|help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$cmd' (see: $0 --help)" ;;
  esac
}

main "$@"
