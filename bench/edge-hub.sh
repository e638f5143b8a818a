#!/usr/bin/env bash
# EdgeHub benchmarks on the test bed (issue 5, "Benchmarks"): an idle node with --pods pods.
#
# Usage (as root, on a bed started with one node, e.g.
#   KEDGE_SKIP_BUILD=1 ./kedge up --units bench:1 --data-dir /tmp/kedge-hub-bench --no-install):
#
#   bench/edge-hub.sh [--data-dir DIR] [--node NAME] [--pods 20] [--settle 90] [--windows 3] [--window 60]
#                     [--reboots 3] [--out DIR]
#
#   1. --pods busybox pods (`sleep 36000`, nodeName set) created at once and waited for Running;
#      then --settle seconds with nothing happening;
#   2. upstream traffic of the idle node, --windows windows of --window seconds, read on the node:
#      the hub's /metrics (kedge_hub_upstream_received_bytes, _sent_bytes: the bodies of answers
#      and requests) and the node's eth0 byte counters from /proc/net/dev in its namespace (every
#      byte on the wire: TCP/IP, TLS and HTTP headers, the tunnel, the hub and everything else);
#      the server's apiserver_request_total is diffed over the same windows to say what the
#      requests were (the two reads of it add 2 GETs of /metrics, which are not the node's);
#   3. the agent's VmRSS and VmHWM (anonymous and file-backed), threads and JVM options, idle with the pods;
#   4. --reboots offline reboots: the unit's uplink cut, the hub waited for to see the cloud gone,
#      then `bed.sh reboot NODE` (the agent, every container and containerd killed; containerd
#      started again, the agent by its supervisor). Timed from just before the reboot to (a) all
#      --pods containers RUNNING in the node's containerd, new ones, and (b) the hub's local API
#      (kubectl --server http://127.0.0.1:10261 on the node) showing every pod running in a new
#      container. Then the uplink is restored and the node waited for (Ready, journal empty)
#      before the next run; a run starts only after the agent has been up 65 s, so that its
#      supervisor's back-off is back at 1 s.
#
# Results go to stdout and OUT/results.txt (--out, default /tmp/kedge-hub-bench-out), samples to OUT.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data_dir=/tmp/kedge-hub-bench
node=bench-1
pods=20
settle=90
windows=3
window=60
reboots=3
out=/tmp/kedge-hub-bench-out
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data_dir=$2; shift 2 ;;
    --node) node=$2; shift 2 ;;
    --pods) pods=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --windows) windows=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --reboots) reboots=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "edge-hub.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

[ -f "$data_dir/admin.kubeconfig" ] || { echo "edge-hub.sh: no kedge bed in $data_dir (run ./kedge up first)" >&2; exit 1; }
kubectl_bin=${KUBECTL:-$repo/.tools/bin/kubectl-1.35}
bed=$repo/e2e/testbed/bed.sh
unit=${node%-*}
registry=$(cat "$data_dir/registry")
socket=$("$bed" info | awk -v n="node=$node" '$1 == n {print $3}')
[ -S "$socket" ] || { echo "edge-hub.sh: no containerd socket for $node (bed.sh info)" >&2; exit 1; }
kc() { "$kubectl_bin" --kubeconfig "$data_dir/admin.kubeconfig" "$@"; }
on_node() { nsenter --net="/var/run/netns/$node" -- "$@"; }
hub() { on_node curl -sf --max-time 5 "http://127.0.0.1:10261$1"; }
hub_metric() { hub /metrics | awk -v m="$1" '$1 == m {printf "%d", $2}'; }
ctr_() { ctr --address "$socket" -n k8s.io "$@"; }
mkdir -p "$out"
results=$out/results.txt
: > "$results"
say() { echo "$*" | tee -a "$results"; }
now() { echo "${EPOCHREALTIME}"; }
load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -g | awk '{v[NR]=$1} END {printf "%.2f", NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
agent_pid() { cat "$data_dir/run/agent-$node.pid"; }
agent_uptime() { # seconds since the agent process started
  local ticks hz up
  ticks=$(awk '{sub(/^.*\) /, ""); print $20}' "/proc/$(agent_pid)/stat")
  hz=$(getconf CLK_TCK); up=$(cut -d' ' -f1 /proc/uptime)
  awk -v t="$ticks" -v h="$hz" -v u="$up" 'BEGIN {printf "%d", u - t / h}'
}
eth0_bytes() { on_node awk '$1 == "eth0:" {print $2, $10}' /proc/net/dev; } # rx tx
server_requests() { kc get --raw /metrics | awk '/^apiserver_request_total\{/ {print}'; }
wait_for() { # what timeout-seconds command...
  local what=$1 limit=$2 deadline=$((SECONDS + $2)); shift 2
  until "$@"; do
    [ $SECONDS -lt $deadline ] || { echo "edge-hub.sh: gave up after $limit s waiting for $what" >&2; return 1; }
    sleep "${poll:-0.5}"
  done
}

pod_json() { # name
  cat <<EOF
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"$1","labels":{"bench":"edge-hub"}},
 "spec":{"nodeName":"$node","terminationGracePeriodSeconds":1,
  "containers":[{"name":"c","image":"$registry/busybox:stable","imagePullPolicy":"IfNotPresent",
                 "command":["sleep","36000"]}]}}
EOF
}
cloud_running() { [ "$(kc get pods -l bench=edge-hub -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' | grep -c '^Running$')" -ge "$pods" ]; }
# Ids of the bench pods' containers (sandboxes carry no container name) that containerd runs now.
running_containers() {
  local ids
  ids=$(ctr_ containers ls -q 'labels."io.kubernetes.container.name"==c' | sort)
  ctr_ tasks ls | awk '$3 == "RUNNING" {print $1}' | sort | comm -12 - <(echo "$ids")
}
# Container ids the node's hub shows for running bench pods.
hub_running() {
  on_node "$kubectl_bin" --server http://127.0.0.1:10261 get pods -l bench=edge-hub \
    -o jsonpath='{range .items[*]}{.status.containerStatuses[0].state.running.startedAt}{" "}{.status.containerStatuses[0].containerID}{"\n"}{end}' 2>/dev/null \
    | awk 'NF == 2 {sub("containerd://", "", $2); print $2}' | sort
}
hub_offline() { [ "$(hub_metric kedge_hub_cloud_healthy)" = 0 ]; }
node_settled() { # Ready, the hub healthy, its journal empty
  [ "$(kc get node "$node" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] \
    && [ "$(hub_metric kedge_hub_cloud_healthy)" = 1 ] && [ "$(hub_metric kedge_hub_journal_depth)" = 0 ]
}

say "edge-hub bench: node $node, $pods pods, $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. the pods ----------------------------------------------------------------------------
kc delete pods -l bench=edge-hub --wait=true --timeout=120s >/dev/null
{ echo '{"apiVersion":"v1","kind":"List","items":['
  for i in $(seq -w 1 "$pods"); do pod_json "hub-p$i"; [ "$i" -lt "$pods" ] && echo ','; done
  echo ']}'; } > "$out/pods.json"
kc create -f "$out/pods.json" >/dev/null
wait_for "$pods pods Running" 600 cloud_running
say "$pods pods Running; settling ${settle}s"
sleep "$settle"

# --- 2. idle upstream traffic -----------------------------------------------------------------
hub_in=() hub_out=() wire_in=() wire_out=()
for w in $(seq 1 "$windows"); do
  server_requests > "$out/requests-$w-start.txt"
  i0=$(hub_metric kedge_hub_upstream_received_bytes_total); o0=$(hub_metric kedge_hub_upstream_sent_bytes_total)
  read -r rx0 tx0 < <(eth0_bytes); t0=$(now)
  sleep "$window"
  i1=$(hub_metric kedge_hub_upstream_received_bytes_total); o1=$(hub_metric kedge_hub_upstream_sent_bytes_total)
  read -r rx1 tx1 < <(eth0_bytes); t1=$(now)
  server_requests > "$out/requests-$w-end.txt"
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  rate() { awk -v a="$1" -v b="$2" -v s="$secs" 'BEGIN {printf "%.3f", (b - a) / s / 1024}'; }
  hub_in+=("$(rate "$i0" "$i1")") hub_out+=("$(rate "$o0" "$o1")") wire_in+=("$(rate "$rx0" "$rx1")") wire_out+=("$(rate "$tx0" "$tx1")")
  say "window $w (${secs%.*} s, load $(load)): hub upstream in ${hub_in[-1]} out ${hub_out[-1]} KB/s;" \
      "node eth0 rx ${wire_in[-1]} tx ${wire_out[-1]} KB/s"
  # what the server answered in the window, by verb, resource and code
  awk 'FNR == NR {a[$1] = $2; next} {d = $2 - a[$1]; if (d > 0) printf "    %5d %s\n", d, $1}' \
    "$out/requests-$w-start.txt" "$out/requests-$w-end.txt" | sort -rn | tee -a "$results"
done
say "median of $windows windows: hub upstream in $(printf '%s\n' "${hub_in[@]}" | median) out $(printf '%s\n' "${hub_out[@]}" | median) KB/s;" \
    "node eth0 rx $(printf '%s\n' "${wire_in[@]}" | median) tx $(printf '%s\n' "${wire_out[@]}" | median) KB/s (goal: under 0.5 KB/s)"

# --- 3. RSS -----------------------------------------------------------------------------------
pid=$(agent_pid)
say "agent pid $pid, idle with $pods pods: $(awk '/^VmRSS:|^VmHWM:|^RssAnon:|^RssFile:/ {printf "%s %d MiB  ", $1, $2 / 1024}
  /^Threads:/ {printf "%s %d  ", $1, $2}' "/proc/$pid/status")"
say "agent JVM: $(tr '\0' ' ' < "/proc/$pid/cmdline" | sed 's/ -cp .*//')$(tr '\0' '\n' < "/proc/$pid/environ" | grep '^MALLOC_ARENA_MAX=' | sed 's/^/, /')"

# --- 4. offline reboots -------------------------------------------------------------------------
to_containerd=() to_hub=()
for r in $(seq 1 "$reboots"); do
  up=$(agent_uptime)
  [ "$up" -ge 65 ] || sleep $((65 - up))
  running_containers > "$out/before-$r.txt"
  hub_running > /dev/null # the hub caches this list shape for kubectl while online, to answer it offline
  "$bed" cut "$unit" >/dev/null
  wait_for "the hub to see the cloud gone" 60 hub_offline
  t0=$(now)
  "$bed" reboot "$node" >/dev/null
  t_reboot=$(now)
  new_in_containerd() { [ "$(running_containers | comm -13 "$out/before-$r.txt" - | wc -l)" -ge "$pods" ]; }
  new_in_hub() { [ "$(hub_running | comm -13 "$out/before-$r.txt" - | wc -l)" -ge "$pods" ]; }
  poll=0.1 wait_for "$pods new containers running in containerd" 300 new_in_containerd
  t1=$(now)
  poll=0.2 wait_for "the hub's local API to show $pods pods running in new containers" 300 new_in_hub
  t2=$(now)
  "$bed" restore "$unit" >/dev/null
  to_containerd+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')")
  to_hub+=("$(awk -v a="$t0" -v b="$t2" 'BEGIN {printf "%.2f", b - a}')")
  say "reboot $r (offline, load $(load)): bed.sh reboot took $(awk -v a="$t0" -v b="$t_reboot" 'BEGIN {printf "%.2f", b - a}') s;" \
      "all $pods containers running again after ${to_containerd[-1]} s (containerd), ${to_hub[-1]} s (the hub's local API)"
  wait_for "the node back: Ready, the journal replayed" 300 node_settled
  wait_for "$pods pods Running in the cloud" 300 cloud_running
done
say "median of $reboots offline reboots to all $pods pods running: $(printf '%s\n' "${to_containerd[@]}" | median) s (containerd)," \
    "$(printf '%s\n' "${to_hub[@]}" | median) s (the hub's local API)"
kc delete pods -l bench=edge-hub --wait=false >/dev/null
say "done $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
