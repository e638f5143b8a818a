#!/usr/bin/env bash
# Edge-node benchmarks for one `kedge agent` on its containerd (issue 4, "Benchmarks").
#
# Usage (as root, on a bed started with one node, e.g.
#   KEDGE_SKIP_BUILD=1 ./kedge up --units bench:1 --data-dir /tmp/kedge-bench-up --no-install):
#
#   bench/edge-node.sh [--data-dir DIR] [--node NAME] [--pods 30] [--batches 3] [--restarts 2] [--cold]
#
#   1. agent RSS idle (VmRSS of the agent JVM after --settle seconds with no pods);
#   2. one warm-up pod to Running, so that the image is present on the node;
#   3. --batches times: create --pods busybox pods at once (one `kubectl create` of a List),
#      time each pod from create to Running, then delete them and wait until they are gone.
#      Two clocks: the server's timestamps (containerStatuses[0].state.running.startedAt and the
#      Ready condition's lastTransitionTime, minus metadata.creationTimestamp; 1 s resolution)
#      and a client watch (`kubectl get pods -w`, each line stamped on arrival: first line of
#      the pod to first line with phase Running). Agent RSS is read --settle s after batch 1
#      is all Running;
#   4. --restarts times: kill -9 the agent; its supervisor starts it again; time from the new
#      process's start (/proc/PID/stat) to the Node's Ready=True with a heartbeat written
#      after that start (polled every 200 ms);
#   5. with --cold: `./kedge down` then `./kedge up` (same flags), and the same timing from the
#      first agent process's start to the Node's Ready=True with a fresh heartbeat.
#
# Results go to stdout and to OUT/results.txt, raw samples to OUT (--out, default
# /tmp/kedge-edge-bench: not under the data dir, which `kedge down` removes).
# With --cold the cold start runs first, so the other measurements run on the fresh bed.
# p99 of 30 samples is, by nearest rank, the slowest pod.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data_dir=/tmp/kedge-bench-up
node=bench-1
pods=30
batches=3
restarts=2
settle=20
cold=false
out=/tmp/kedge-edge-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data_dir=$2; shift 2 ;;
    --node) node=$2; shift 2 ;;
    --pods) pods=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --restarts) restarts=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --cold) cold=true; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "edge-node.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

kubectl_bin=${KUBECTL:-$repo/.tools/bin/kubectl-1.35}
kc() { "$kubectl_bin" --kubeconfig "$data_dir/admin.kubeconfig" "$@"; }
mkdir -p "$out"
results=$out/results.txt
: > "$results"
say() { echo "$*" | tee -a "$results"; }
now() { echo "${EPOCHREALTIME}"; }

agent_pid() { cat "$data_dir/run/agent-$node.pid"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# Wall-clock start of a process, in seconds since the epoch, from /proc (10 ms resolution).
proc_start() {
  local ticks btime hz
  ticks=$(awk '{sub(/^.*\) /, ""); print $20}' "/proc/$1/stat")
  btime=$(awk '/^btime/ {print $2}' /proc/stat)
  hz=$(getconf CLK_TCK)
  awk -v b="$btime" -v t="$ticks" -v h="$hz" 'BEGIN {printf "%.2f", b + t / h}'
}
iso_to_epoch() { date -d "$1" +%s; }
# Nearest-rank percentile of the numbers on stdin.
pct() { grep -v '^NA$' | sort -g | awk -v p="$1" '{v[NR]=$1} END {r=int(NR*p/100); if (r < NR*p/100) r++; if (r < 1) r = 1; printf "%.2f", v[r]}'; }
median() { sort -g | awk '{v[NR]=$1} END {printf "%.2f", NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# Ready=True with a heartbeat written at or after the agent's start second.
wait_fresh_ready() { # start-epoch
  local since=${1%.*} hb st
  while :; do
    read -r st hb < <(kc get node "$node" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].lastHeartbeatTime}' 2>/dev/null || echo "x x")
    if [ "$st" = True ] && [ "$hb" != x ] && [ "$(iso_to_epoch "$hb")" -ge "$since" ]; then now; return 0; fi
    sleep 0.2
  done
}
pod_yaml() { # name
  cat <<EOF
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"$1","labels":{"bench":"edge-node"}},
 "spec":{"nodeName":"$node","terminationGracePeriodSeconds":1,
  "containers":[{"name":"c","image":"$registry/busybox:stable","imagePullPolicy":"IfNotPresent",
                 "command":["sleep","3600"]}]}}
EOF
}

wait_running() { # count timeout-seconds
  local deadline=$((SECONDS + $2)) n
  while :; do
    n=$(kc get pods -l bench=edge-node -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' | grep -c '^Running$' || true)
    [ "$n" -ge "$1" ] && return 0
    [ $SECONDS -lt $deadline ] || { echo "edge-node.sh: only $n of $1 pods Running after $2 s" >&2; kc get pods -o wide >&2; return 1; }
    sleep 0.5
  done
}

delete_pods() {
  kc delete pods -l bench=edge-node --wait=true --timeout=120s >/dev/null
}

# --- 0. cold start ------------------------------------------------------------------------
if $cold; then
  units=${node%-*} # node <unit>-1 of a one-node unit
  "$repo/kedge" down --data-dir "$data_dir" >/dev/null
  KEDGE_SKIP_BUILD=1 "$repo/kedge" up --units "${units}:1" --data-dir "$data_dir" --no-install > "$out/up.log" 2>&1 &
  up_pid=$!
  while [ ! -s "$data_dir/run/agent-$node.pid" ] || [ ! -e "/proc/$(cat "$data_dir/run/agent-$node.pid")/stat" ]; do
    kill -0 "$up_pid" 2>/dev/null || { echo "edge-node.sh: kedge up failed; see $out/up.log" >&2; exit 1; }
    sleep 0.05
  done
  new=$(agent_pid)
  started=$(proc_start "$new")
  ready=$(wait_fresh_ready "$started")
  wait "$up_pid"
  say "cold start (kedge down; kedge up; pid $new): agent start -> Node Ready $(awk -v a="$started" -v b="$ready" 'BEGIN{printf "%.1f", b-a}') s, load $(cut -d' ' -f1 /proc/loadavg)"
fi
[ -f "$data_dir/admin.kubeconfig" ] || { echo "edge-node.sh: no kedge bed in $data_dir (run ./kedge up first)" >&2; exit 1; }
registry=$(cat "$data_dir/registry")

# --- 1. idle RSS --------------------------------------------------------------------------
say "edge-node bench: node $node, $pods pods x $batches batches, $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
delete_pods
sleep "$settle"
pid=$(agent_pid)
rss_idle=$(rss_kb "$pid")
say "agent pid $pid: RSS idle ${rss_idle} kB ($((rss_idle / 1024)) MiB)"

# --- 2. warm-up ---------------------------------------------------------------------------
pod_yaml warmup | kc create -f - >/dev/null
wait_running 1 300
say "warm-up pod Running (image present)"
delete_pods

# --- 3. batches ---------------------------------------------------------------------------
batch_p50=() batch_p99=() batch_cp50=() batch_cp99=()
for b in $(seq 1 "$batches"); do
  watch_log=$out/watch-$b.log
  # $! is kubectl itself; the stamping loop ends when kubectl does.
  kc get pods -l bench=edge-node -w --output-watch-events \
    -o jsonpath='{.type} {.object.metadata.name} {.object.status.phase}{"\n"}' 2>/dev/null \
    > >(while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done > "$watch_log") &
  watch_pid=$!
  sleep 2 # let the watch open before the first create
  list=$out/batch-$b.json
  { echo '{"apiVersion":"v1","kind":"List","items":['
    for i in $(seq -w 1 "$pods"); do
      pod_yaml "b$b-p$i"; [ "$i" -lt "$pods" ] && echo ','
    done
    echo ']}'; } > "$list"
  t0=$(now)
  kc create -f "$list" >/dev/null
  t1=$(now)
  wait_running "$pods" 600
  t2=$(now)
  sleep 1
  kill "$watch_pid" 2>/dev/null || true
  wait "$watch_pid" 2>/dev/null || true

  kc get pods -l bench=edge-node -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.creationTimestamp} {.status.containerStatuses[0].state.running.startedAt} {.status.conditions[?(@.type=="Ready")].lastTransitionTime}{"\n"}{end}' > "$out/server-$b.txt"
  while read -r name created started ready; do
    c=$(iso_to_epoch "$created"); s=$(iso_to_epoch "$started")
    if [ -n "${ready:-}" ]; then r=$(( $(iso_to_epoch "$ready") - c )); else r=NA; fi
    echo "$name $((s - c)) $r"
  done < "$out/server-$b.txt" > "$out/server-lat-$b.txt"
  # Client: first watch line of a pod (its ADDED event) to its first line with phase Running.
  awk '$3 ~ /^b[0-9]+-p/ { if ($2=="ADDED" && !($3 in a)) a[$3]=$1; if ($4=="Running" && !($3 in r)) r[$3]=$1 }
       END { for (p in a) if (p in r) printf "%s %.3f\n", p, r[p]-a[p] }' "$watch_log" > "$out/client-lat-$b.txt"

  s50=$(awk '{print $2}' "$out/server-lat-$b.txt" | pct 50); s99=$(awk '{print $2}' "$out/server-lat-$b.txt" | pct 99)
  r50=$(awk '{print $3}' "$out/server-lat-$b.txt" | pct 50); r99=$(awk '{print $3}' "$out/server-lat-$b.txt" | pct 99)
  nclient=$(wc -l < "$out/client-lat-$b.txt")
  c50=$(awk '{print $2}' "$out/client-lat-$b.txt" | pct 50); c99=$(awk '{print $2}' "$out/client-lat-$b.txt" | pct 99)
  batch_p50+=("$s50") batch_p99+=("$s99") batch_cp50+=("$c50") batch_cp99+=("$c99")
  say "batch $b: create call $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s, all Running after $(awk -v a="$t0" -v b="$t2" 'BEGIN{printf "%.2f", b-a}') s, load $(cut -d' ' -f1 /proc/loadavg)"
  say "  server clock (1 s res): startedAt-created p50 ${s50} p99 ${s99} s; Ready-created p50 ${r50} p99 ${r99} s"
  say "  client watch ($nclient pods): ADDED->Running p50 ${c50} p99 ${c99} s"

  if [ "$b" = 1 ]; then
    sleep "$settle"
    pid=$(agent_pid)
    rss_busy=$(rss_kb "$pid")
    say "agent pid $pid: RSS with $pods pods Running ${rss_busy} kB ($((rss_busy / 1024)) MiB); idle was ${rss_idle} kB"
  fi
  delete_pods
done
say "median of batches: server startedAt p50 $(printf '%s\n' "${batch_p50[@]}" | median) p99 $(printf '%s\n' "${batch_p99[@]}" | median) s;" \
    "client p50 $(printf '%s\n' "${batch_cp50[@]}" | median) p99 $(printf '%s\n' "${batch_cp99[@]}" | median) s; SLO 5 s"

# --- 4. restart after kill -9 ---------------------------------------------------------------
for r in $(seq 1 "$restarts"); do
  old=$(agent_pid)
  kill -9 "$old"
  while [ "$(agent_pid 2>/dev/null || echo "$old")" = "$old" ] || [ ! -e "/proc/$(agent_pid)/stat" ]; do sleep 0.05; done
  new=$(agent_pid)
  started=$(proc_start "$new")
  ready=$(wait_fresh_ready "$started")
  say "restart $r (kill -9 $old, new pid $new): agent start -> Node Ready with fresh heartbeat $(awk -v a="$started" -v b="$ready" 'BEGIN{printf "%.1f", b-a}') s, load $(cut -d' ' -f1 /proc/loadavg)"
  sleep 5
done

say "done $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
