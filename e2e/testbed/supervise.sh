#!/usr/bin/env bash
# Keeps one command running, as systemd's Restart=always does: when it exits, for any reason,
# it is started again after a back-off (1 s, doubling to 30 s; back to 1 s after a run of 60 s).
# SIGTERM stops the command (TERM, then KILL after 15 s) and the supervisor.
#
#   supervise.sh NAME CHILD_PIDFILE LOG -- CMD...
set -uo pipefail

name=${1:?usage: supervise.sh NAME CHILD_PIDFILE LOG -- CMD...}
child_pidfile=${2:?usage: supervise.sh NAME CHILD_PIDFILE LOG -- CMD...}
logf=${3:?usage: supervise.sh NAME CHILD_PIDFILE LOG -- CMD...}
shift 3
[ "${1:-}" != -- ] || shift
[ $# -gt 0 ] || { echo "supervise.sh: no command to run" >&2; exit 2; }

note() { printf '%s supervise %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" "$*" >>"$logf"; }

child=
stop() {
  trap - TERM INT HUP
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    note "stopping pid $child"
    kill -TERM "$child" 2>/dev/null
    local _
    for _ in $(seq 1 150); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$child" 2>/dev/null || true
  fi
  rm -f "$child_pidfile"
  exit 0
}
trap stop TERM INT HUP

backoff=1
while :; do
  started=$SECONDS
  "$@" </dev/null >>"$logf" 2>&1 &
  child=$!
  echo "$child" >"$child_pidfile"
  note "started pid $child: $*"
  wait "$child"
  rc=$?
  [ $((SECONDS - started)) -lt 60 ] || backoff=1
  note "pid $child exited with status $rc; starting it again in ${backoff}s"
  sleep "$backoff" &
  wait $! || true
  backoff=$((backoff * 2 > 30 ? 30 : backoff * 2))
done
