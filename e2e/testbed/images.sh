#!/usr/bin/env bash
# Builds kedge's test images from Debian's busybox-static, and pushes them to a registry.
#
#   images.sh build DIR            -> DIR/busybox.tar and DIR/pause.tar (docker-archive, for
#                                     `ctr images import`) and DIR/oci/<image>/ (for push)
#   images.sh push DIR REGISTRY    -> REGISTRY/busybox:stable and REGISTRY/pause:3 over the
#                                     registry v2 HTTP API (plain HTTP: the test bed's registry)
#
# Both images are one layer: busybox and its applet links. pause runs `sleep` forever, which is
# all a CRI sandbox needs, because registry.k8s.io/pause cannot be pulled here.
set -euo pipefail

busybox_bin=${BUSYBOX:-/bin/busybox}

arch() {
  case "$(uname -m)" in
    x86_64) echo amd64 ;;
    aarch64|arm64) echo arm64 ;;
    armv7l) echo arm ;;
    *) uname -m ;;
  esac
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# rootfs DIR: busybox with one symlink per applet, and the directories images usually have.
rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,etc,tmp,var/www,root,proc,sys,dev}
  chmod 1777 "$root/tmp"
  cp "$busybox_bin" "$root/bin/busybox"
  # one process for the ~400 links: a fork each takes seconds on a loaded machine
  # shellcheck disable=SC2046  # one argument per applet name
  (cd "$root/bin" && perl -e 'for (@ARGV) { next if $_ eq "busybox"; symlink("busybox", $_) or die "$_: $!\n" }' \
    $("$busybox_bin" --list))
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
}

# image NAME TAG CMD_JSON OUT: one image as docker-archive and as OCI blobs.
image() {
  local name=$1 tag=$2 cmd=$3 out=$4
  local work; work=$(mktemp -d)
  rootfs "$work/rootfs"
  # fixed owner and mtime, so the same busybox always gives the same digests
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2020-01-01 00:00Z' \
    -C "$work/rootfs" -cf "$work/layer.tar" .
  local diff_id; diff_id=$(sha "$work/layer.tar")
  gzip -n -c "$work/layer.tar" >"$work/layer.tar.gz"
  local layer_digest; layer_digest=$(sha "$work/layer.tar.gz")
  local layer_size; layer_size=$(stat -c %s "$work/layer.tar.gz")
  cat >"$work/config.json" <<JSON
{"architecture":"$(arch)","os":"linux","created":"2020-01-01T00:00:00Z","config":{"Env":["PATH=/bin"],"Cmd":$cmd,"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created":"2020-01-01T00:00:00Z","created_by":"kedge e2e/testbed/images.sh from busybox-static"}]}
JSON
  local config_digest; config_digest=$(sha "$work/config.json")
  local config_size; config_size=$(stat -c %s "$work/config.json")

  # docker-archive
  mkdir -p "$work/archive"
  cp "$work/layer.tar" "$work/archive/layer.tar"
  cp "$work/config.json" "$work/archive/$config_digest.json"
  printf '[{"Config":"%s.json","RepoTags":["%s:%s"],"Layers":["layer.tar"]}]\n' \
    "$config_digest" "kedge.local/$name" "$tag" >"$work/archive/manifest.json"
  tar -C "$work/archive" -cf "$out/$name.tar" .

  # OCI blobs and manifest, for the push
  local oci="$out/oci/$name"
  mkdir -p "$oci/blobs"
  cp "$work/layer.tar.gz" "$oci/blobs/$layer_digest"
  cp "$work/config.json" "$oci/blobs/$config_digest"
  cat >"$oci/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config_digest","size":$config_size},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$layer_digest","size":$layer_size}]}
JSON
  echo "$tag" >"$oci/tag"
  rm -rf "$work"
}

build() {
  local out=$1
  [ -x "$busybox_bin" ] || { echo "images.sh: $busybox_bin is missing; install Debian's busybox-static" >&2; exit 1; }
  mkdir -p "$out"
  image busybox stable '["sh"]' "$out"
  image pause 3 '["sleep","2147483647"]' "$out"
  echo "images in $out: busybox.tar pause.tar"
}

# push_one OCI_DIR REGISTRY NAME
push_one() {
  local oci=$1 registry=$2 name=$3
  local tag; tag=$(cat "$oci/tag")
  local blob digest location
  for blob in "$oci"/blobs/*; do
    digest="sha256:$(basename "$blob")"
    if curl -fsS -o /dev/null -I "http://$registry/v2/$name/blobs/$digest" 2>/dev/null; then
      continue
    fi
    location=$(curl -fsS -X POST -D - -o /dev/null "http://$registry/v2/$name/blobs/uploads/" \
      | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
    case "$location" in http*) ;; *) location="http://$registry$location" ;; esac
    case "$location" in *\?*) location="$location&digest=$digest" ;; *) location="$location?digest=$digest" ;; esac
    curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$blob" "$location" >/dev/null
  done
  curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "@$oci/manifest.json" "http://$registry/v2/$name/manifests/$tag" >/dev/null
  echo "pushed $registry/$name:$tag"
}

push() {
  local out=$1 registry=$2
  push_one "$out/oci/busybox" "$registry" busybox
  push_one "$out/oci/pause" "$registry" pause
}

case "${1:-}" in
  build) build "${2:?usage: images.sh build DIR}" ;;
  push) push "${2:?usage: images.sh push DIR REGISTRY}" "${3:?usage: images.sh push DIR REGISTRY}" ;;
  *) echo "usage: images.sh build DIR | push DIR REGISTRY" >&2; exit 2 ;;
esac
