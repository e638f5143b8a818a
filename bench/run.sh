#!/usr/bin/env bash
# Runs the server benchmarks of BENCHMARKS.md; extra arguments go to BenchMain (try --help).
# Needs the CLI and the bench built: mvn -B -DskipTests -pl cli,bench -am package
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server_cp=${KEDGE_SERVER_CP:-$root/cli/target/kedge-cli.jar:$root/cli/target/lib/*}
work=${KEDGE_BENCH_DIR:-$(mktemp -d /tmp/kedge-bench.XXXXXX)}
for f in "$root/cli/target/kedge-cli.jar" "$root/bench/target/kedge-bench.jar"; do
  if [ ! -f "$f" ]; then
    echo "run.sh: $f is missing; build first: mvn -B -DskipTests -pl cli,bench -am package" >&2
    exit 2
  fi
done
echo "run.sh: results go to $work/results.md, server output to $work/server.log" >&2
exec java ${KEDGE_BENCH_JAVA_OPTS:-} -cp "$root/bench/target/kedge-bench.jar:$root/bench/target/lib/*" \
  io.kedge.bench.BenchMain --server-cp "$server_cp" --work-dir "$work" "$@"
