#!/usr/bin/env bash
# EdgeTunnel benchmarks (issue 6): what the outbound tunnel costs against reaching the pod directly.
#
# Usage (as root, on a bed started with one node, e.g.
#   KEDGE_SKIP_BUILD=1 ./kedge up --units bench:1 --data-dir /tmp/kedge-bench-up --no-install):
#
#   bench/tunnel.sh [--data-dir DIR] [--node NAME] [--mib 100] [--runs 5] [--execs 30]
#
#   1. a busybox httpd pod on the node serving a file of --mib MiB;
#   2. --runs downloads of that file, alternating:
#        direct:  curl from the node's own network namespace to the pod IP (no tunnel, no server);
#        tunnel:  `kubectl port-forward` on this host, through the server and the node's tunnel;
#      MiB/s of each, medians, and tunnel/direct as a ratio of medians from the same run;
#   3. --execs sequential `kubectl exec POD -- true`, wall time each (kubectl start-up included),
#      against --execs `kubectl get pod POD` (one API round trip, no tunnel) in the same run.
#
# Results go to stdout and to OUT/results.txt (--out, default /tmp/kedge-tunnel-bench).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data_dir=/tmp/kedge-bench-up
node=bench-1
mib=100
runs=5
execs=30
out=/tmp/kedge-tunnel-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data_dir=$2; shift 2 ;;
    --node) node=$2; shift 2 ;;
    --mib) mib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --execs) execs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "tunnel.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

kubectl_bin=${KUBECTL:-$repo/.tools/bin/kubectl-1.35}
kc() { "$kubectl_bin" --kubeconfig "$data_dir/admin.kubeconfig" "$@"; }
mkdir -p "$out"
results=$out/results.txt
: > "$results"
say() { echo "$*" | tee -a "$results"; }
median() { sort -g | awk '{v[NR]=$1} END {printf "%.3f", NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
image=$(cat "$data_dir/registry")/busybox:stable
ns=tunnel-bench

kc delete namespace "$ns" --ignore-not-found --wait >/dev/null
kc create namespace "$ns" >/dev/null
cat <<EOF | kc apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: $ns}
spec:
  nodeName: $node
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: $image
    imagePullPolicy: IfNotPresent
    command: [sh, -c, "mkdir -p /www && dd if=/dev/zero of=/www/big bs=1048576 count=$mib 2>/dev/null && touch /www/ready && exec httpd -f -p 8080 -h /www"]
EOF
kc -n "$ns" wait --for=condition=Ready pod/web --timeout=180s >/dev/null
until kc -n "$ns" exec web -- test -f /www/ready 2>/dev/null; do sleep 1; done
pod_ip=$(kc -n "$ns" get pod web -o jsonpath='{.status.podIP}')
bytes=$((mib * 1048576))
say "tunnel.sh: node $node, pod $pod_ip, file $mib MiB, $runs runs, $execs execs; $(date -u +%FT%TZ)"

port=18480
kc -n "$ns" port-forward pod/web "$port:8080" >"$out/port-forward.log" 2>&1 &
pf=$!
trap 'kill $pf 2>/dev/null || true' EXIT
until grep -q "Forwarding from" "$out/port-forward.log"; do sleep 0.2; done

: > "$out/direct.txt"; : > "$out/tunnel.txt"
for i in $(seq "$runs"); do
  d=$(nsenter --net="/var/run/netns/$node" -- curl -s -o /dev/null -w '%{size_download} %{time_total}' "http://$pod_ip:8080/big")
  t=$(curl -s -o /dev/null -w '%{size_download} %{time_total}' "http://127.0.0.1:$port/big")
  for pair in "direct:$d" "tunnel:$t"; do
    kind=${pair%%:*}; set -- ${pair#*:}
    [ "$1" = "$bytes" ] || { echo "tunnel.sh: $kind download $i got $1 bytes, not $bytes" >&2; exit 1; }
    awk -v b="$1" -v s="$2" 'BEGIN {printf "%.1f\n", b / 1048576 / s}' >> "$out/$kind.txt"
  done
done
direct=$(median < "$out/direct.txt"); tunnel=$(median < "$out/tunnel.txt")
say "download MiB/s, median of $runs: direct $direct ($(paste -sd' ' "$out/direct.txt")), tunnel $tunnel ($(paste -sd' ' "$out/tunnel.txt"))"
say "tunnel/direct throughput: $(awk -v t="$tunnel" -v d="$direct" 'BEGIN {printf "%.2f", t / d}')"

: > "$out/exec.txt"; : > "$out/get.txt"
for i in $(seq "$execs"); do
  s=$EPOCHREALTIME; kc -n "$ns" exec web -- true; e=$EPOCHREALTIME
  awk -v a="$s" -v b="$e" 'BEGIN {printf "%.3f\n", b - a}' >> "$out/exec.txt"
  s=$EPOCHREALTIME; kc -n "$ns" get pod web -o name >/dev/null; e=$EPOCHREALTIME
  awk -v a="$s" -v b="$e" 'BEGIN {printf "%.3f\n", b - a}' >> "$out/get.txt"
done
exec_m=$(median < "$out/exec.txt"); get_m=$(median < "$out/get.txt")
say "kubectl exec -- true: median ${exec_m}s; kubectl get pod: median ${get_m}s (same run, kubectl start-up in both)"
say "exec/get: $(awk -v x="$exec_m" -v g="$get_m" 'BEGIN {printf "%.2f", x / g}')"
kc delete namespace "$ns" --wait=false >/dev/null
