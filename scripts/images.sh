#!/usr/bin/env bash
# Builds every image the kind testbed needs, offline (registries only: Go module proxy + Debian apt).
#   scripts/images.sh build     build what is missing, then print images.json on stdout (logs on stderr)
#   scripts/images.sh json      print the last images.json
# Go builds are cached by version in $CP_CACHE/bin/<name>-<version>/; images are tagged by a hash of their
# inputs (versions.env values, Dockerfiles, files, binary stamps) and rebuilt only when those change.
# images/README.md explains the pieces and what a kind cluster config must contain to boot them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGES="$CP_ROOT/images"
# shellcheck source=../images/versions.env
source "$IMAGES/versions.env"
BIN="$CP_CACHE/bin"
LOGS="$CP_CACHE/logs"
WORK="$CP_CACHE/work"
IMAGES_JSON="$CP_CACHE/images.json"
TIMINGS="$LOGS/images-timings.tsv"
mkdir -p "$BIN" "$LOGS" "$WORK"

# ---------- helpers ----------

now() { date +%s; }
# timed NAME CMD...: runs a step, logs and records how long it took (cold-build figures for the benchmark).
timed() {
  local name="$1" start rc=0
  shift
  start="$(now)"
  "$@" || rc=$?
  local took=$(($(now) - start))
  [ "$rc" -eq 0 ] || return "$rc"
  log "$name: ${took}s"
  printf '%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$took" >> "$TIMINGS"
}

# hash12 ARGS...: a short content hash of strings and of absolute paths to files/dirs (contents, sorted).
# Only absolute paths are read as paths, so a value such as "." stays a string.
hash12() {
  local a
  for a in "$@"; do
    if [[ "$a" == /* ]] && [ -d "$a" ]; then
      (cd "$a" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
    elif [[ "$a" == /* ]] && [ -f "$a" ]; then
      sha256sum < "$a"
    elif [[ "$a" == "$CP_ROOT"/* ]]; then
      # A checkout file that does not exist (the probe has no go.sum): its absence, not the checkout's path,
      # is the input, so a clone elsewhere hits the same cache.
      printf 'absent %s\n' "${a#"$CP_ROOT"/}"
    else
      printf '%s\n' "$a"
    fi
  done | sha256sum | cut -c1-12
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# docker_build LOGNAME CONTEXT TAG [EXTRA_TAG...] -- [docker build args]
docker_build() {
  local name="$1" ctx="$2" logf="$LOGS/image-$1.log"
  shift 2
  local tags=() args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do tags+=(-t "$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  args=("$@")
  log "building image ${tags[1]} (log: $logf)"
  if ! DOCKER_BUILDKIT=0 docker build --network host "${tags[@]}" "${args[@]}" "$ctx" > "$logf" 2>&1; then
    tail -n 15 "$logf" >&2
    die "building image ${tags[1]} failed; full log: $logf"
  fi
}

# go_build NAME VERSION MODULE_DIR LDFLAGS PKG...: builds static binaries into $BIN/NAME-VERSION once.
# The stamp records the wrapper module's hash too, so editing its go.mod rebuilds the same version.
go_build() {
  local name="$1" version="$2" moddir="$3" ldflags="$4"
  shift 4
  local out="$BIN/$name-$version" want
  # A wrapper's own main.go (CoreDNS's plugin selection) is an input too; tools.go-only wrappers have none.
  local main=()
  [ ! -f "$moddir/main.go" ] || main=("$moddir/main.go")
  want="$name $version $(hash12 "$moddir/go.mod" "$moddir/go.sum" "$ldflags" "$*" "${main[@]}") $(go env GOVERSION)"
  if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$want" ]; then
    return 0
  fi
  local logf="$LOGS/go-$name-$version.log"
  log "building $name $version from the Go module proxy (log: $logf)"
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  # PKG may be OUT=PKG when the binary name differs from the package's last path element (etcd's "v3").
  local plain=() p
  for p in "$@"; do [[ "$p" == *=* ]] || plain+=("$p"); done
  if ! (
    set -e
    cd "$moddir"
    export CGO_ENABLED=0
    if [ "${#plain[@]}" -gt 0 ]; then go build -trimpath -ldflags "$ldflags" -o "$out.tmp/" "${plain[@]}"; fi
    for p in "$@"; do
      [[ "$p" == *=* ]] || continue
      go build -trimpath -ldflags "$ldflags" -o "$out.tmp/${p%%=*}" "${p#*=}"
    done
  ) > "$logf" 2>&1; then
    tail -n 15 "$logf" >&2
    die "go build of $name $version failed; full log: $logf (module: ${moddir#"$CP_ROOT"/})"
  fi
  echo "$want" > "$out.tmp/.stamp"
  rm -rf "$out" && mv "$out.tmp" "$out"
}

stamp_of() { cat "$BIN/$1/.stamp"; }

# ---------- preflight ----------

preflight() {
  ensure_go "$GO_MIN_VERSION" # lib.sh: the machine's go, else a toolchain from the Go module proxy
  command -v docker >/dev/null || die "docker CLI not found: run bash scripts/setup-docker.sh"
  local v
  v="$(docker version --format '{{.Server.Version}}' 2>/dev/null)" \
    || die "no Docker daemon answers on /var/run/docker.sock: run bash scripts/setup-docker.sh"
  [ "${v%%.*}" -ge 26 ] || die "Docker server $v is too old (need >= 26 for --privileged here): run bash scripts/setup-docker.sh"
  local root avail
  root="$(docker info --format '{{.DockerRootDir}}' 2>/dev/null || echo /var/lib/docker)"
  for d in "$CP_CACHE" "$root"; do
    avail="$(df -Pk "$d" | awk 'NR==2 {print $4}')"
    [ "$avail" -ge $((10 * 1024 * 1024)) ] \
      || die "less than 10 GiB free on $(df -P "$d" | awk 'NR==2 {print $6}') (for $d): free space (docker system prune; rm -rf $CP_CACHE/work) and rerun"
  done
}

# ---------- Go builds ----------

K8S_BIN="$BIN/kubernetes-$KUBERNETES_VERSION"
ETCD_BIN="$BIN/etcd-$ETCD_VERSION"
COREDNS_BIN="$BIN/coredns-$COREDNS_VERSION"
KUBE_ROUTER_BIN="$BIN/kube-router-$KUBE_ROUTER_VERSION"
ARGO_ROLLOUTS_BIN="$BIN/argo-rollouts-$ARGO_ROLLOUTS_VERSION"
KIND_BIN="$BIN/kind-$KIND_VERSION"
PAUSE_BIN="$BIN/pause-$PAUSE_VERSION"

build_kubernetes() {
  local minor="${KUBERNETES_VERSION#v1.}" ld="-s -w" p
  minor="${minor%%.*}"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=2026-01-01T00:00:00Z"
  done
  grep -q "^require k8s.io/kubernetes $KUBERNETES_VERSION\$" "$IMAGES/go/kubernetes/go.mod" \
    || die "images/go/kubernetes/go.mod does not require k8s.io/kubernetes $KUBERNETES_VERSION (versions.env KUBERNETES_VERSION); regenerate it (see images/README.md)"
  go_build kubernetes "$KUBERNETES_VERSION" "$IMAGES/go/kubernetes" "$ld" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubectl
}

build_etcd() {
  go_build etcd "$ETCD_VERSION" "$IMAGES/go/etcd" "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" \
    etcd=go.etcd.io/etcd/server/v3 etcdctl=go.etcd.io/etcd/etcdctl/v3 etcdutl=go.etcd.io/etcd/etcdutl/v3
}

build_coredns() {
  go_build coredns "$COREDNS_VERSION" "$IMAGES/go/coredns" "-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" \
    coredns=.
}

build_kube_router() {
  go_build kube-router "$KUBE_ROUTER_VERSION" "$IMAGES/go/kube-router" \
    "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$KUBE_ROUTER_VERSION -X github.com/cloudnativelabs/kube-router/v2/pkg/version.BuildDate=1970-01-01" \
    github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
}

# Argo Rollouts' go.mod asks for a newer Go than the machine's: GOTOOLCHAIN (exported to go_build's commands, and
# so into its stamp through `go env GOVERSION`) makes go fetch that toolchain from the module proxy. Version
# ldflags as upstream's Makefile sets them (no git commit in a module zip: `--version` says v1.10.2+unknown).
build_argo_rollouts() {
  grep -qE "^(require )?[[:space:]]*github.com/argoproj/argo-rollouts $ARGO_ROLLOUTS_VERSION\$" "$IMAGES/go/argo-rollouts/go.mod" \
    || die "images/go/argo-rollouts/go.mod does not require github.com/argoproj/argo-rollouts $ARGO_ROLLOUTS_VERSION (versions.env ARGO_ROLLOUTS_VERSION); regenerate it (see its header)"
  GOTOOLCHAIN="$ARGO_ROLLOUTS_GO_TOOLCHAIN" go_build argo-rollouts "$ARGO_ROLLOUTS_VERSION" "$IMAGES/go/argo-rollouts" \
    "-s -w -X github.com/argoproj/argo-rollouts/utils/version.version=${ARGO_ROLLOUTS_VERSION#v} -X github.com/argoproj/argo-rollouts/utils/version.buildDate=1970-01-01T00:00:00Z" \
    github.com/argoproj/argo-rollouts/cmd/rollouts-controller
}

PROBE_HASH=""
build_probe() {
  PROBE_HASH="$(hash12 "$IMAGES/probe" "$(go env GOVERSION)")"
  go_build probe "$PROBE_HASH" "$IMAGES/probe" "-s -w" .
}

# The mTLS live layer's proxyless gRPC server and client (images/meshprobe), shipped in the probe image.
MESHPROBE_HASH=""
build_meshprobe() {
  MESHPROBE_HASH="$(hash12 "$IMAGES/meshprobe" "$(go env GOVERSION)")"
  go_build meshprobe "$MESHPROBE_HASH" "$IMAGES/meshprobe" "-s -w" .
}

build_kind() {
  if [ -x "$KIND_BIN/kind" ] && [ "$("$KIND_BIN/kind" version 2>/dev/null | awk '{print $2}')" = "$KIND_VERSION" ]; then
    return 0
  fi
  local logf="$LOGS/go-kind-$KIND_VERSION.log"
  log "installing kind $KIND_VERSION (go install; log: $logf)"
  mkdir -p "$KIND_BIN"
  GOBIN="$KIND_BIN" CGO_ENABLED=0 go install "sigs.k8s.io/kind@$KIND_VERSION" > "$logf" 2>&1 \
    || die "go install sigs.k8s.io/kind@$KIND_VERSION failed; log: $logf"
}

CNI_BIN="$BIN/cni-plugins-$CNI_PLUGINS_VERSION"
CNI_PLUGINS="main/bridge ipam/host-local main/loopback meta/portmap"
build_cni() {
  local p pkgs=()
  for p in $CNI_PLUGINS; do pkgs+=("github.com/containernetworking/plugins/plugins/$p@$CNI_PLUGINS_VERSION"); done
  go_install cni-plugins "$CNI_PLUGINS_VERSION" "-s -w" "${pkgs[@]}"
}

# go_install NAME VERSION LDFLAGS PKG@VERSION...: packages of a module without replace directives, `go install`ed
# static into $BIN/NAME-VERSION once (the stamp holds version, packages, ldflags, build tags and Go version).
# GO_TAGS (optional, in the environment): build tags, e.g. Istio's release tags.
go_install() {
  local name="$1" version="$2" ldflags="$3" out="$BIN/$1-$2" tags="${GO_TAGS:-}"
  shift 3
  local want="$name $version $* $ldflags $(go env GOVERSION)${tags:+ tags=$tags}"
  if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$want" ]; then return 0; fi
  local logf="$LOGS/go-$name-$version.log"
  log "installing $name $version (go install; log: $logf)"
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  GOBIN="$out.tmp" CGO_ENABLED=0 go install -trimpath ${tags:+-tags "$tags"} -ldflags "$ldflags" "$@" > "$logf" 2>&1 \
    || { tail -n 15 "$logf" >&2; die "go install of $* failed; log: $logf"; }
  echo "$want" > "$out.tmp/.stamp"
  rm -rf "$out" && mv "$out.tmp" "$out"
}

CRICTL_BIN="$BIN/crictl-$CRICTL_VERSION"
build_crictl() {
  go_install crictl "$CRICTL_VERSION" "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION" \
    "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
}

# AWS emulation (spec.provider.kind.awsEmulation): AWS's metadata mock and the EKS pod identity webhook.
IMDS_MOCK_BIN="$BIN/ec2-metadata-mock-$EC2_METADATA_MOCK_VERSION"
WEBHOOK_BIN="$BIN/pod-identity-webhook-$POD_IDENTITY_WEBHOOK_VERSION"
build_aws_emulation() {
  go_install ec2-metadata-mock "$EC2_METADATA_MOCK_VERSION" "-s -w" \
    "github.com/aws/amazon-ec2-metadata-mock/cmd/ec2-metadata-mock@$EC2_METADATA_MOCK_VERSION"
  go_install pod-identity-webhook "$POD_IDENTITY_WEBHOOK_VERSION" "-s -w -X main.webhookVersion=$POD_IDENTITY_WEBHOOK_VERSION" \
    "github.com/aws/amazon-eks-pod-identity-webhook@$POD_IDENTITY_WEBHOOK_VERSION"
}

# Istio (spec.provider.kind.mesh: istio): istiod and pilot-agent, each with the build tags Istio's Makefile.core.mk
# gives it (STANDARD_TAGS, AGENT_TAGS) and the version ldflags of common/scripts/report_build_info.sh.
ISTIOD_BIN="$BIN/istiod-$ISTIO_VERSION"
ISTIO_HUB=clusterproof.local/istio
ISTIO_AGENT_BIN="$BIN/istio-agent-$ISTIO_VERSION"
build_istio() {
  local v=istio.io/istio/pkg/version rev="${ISTIO_VERSION##*-}" ld
  ld="-s -w -X $v.buildVersion=$ISTIO_TAG -X $v.buildGitRevision=$rev -X $v.buildStatus=Clean -X $v.buildTag=$ISTIO_VERSION"
  ld="$ld -X $v.buildHub=$ISTIO_HUB -X $v.buildOS=linux -X $v.buildArch=amd64"
  GO_TAGS=vtprotobuf,disable_pgv go_install istiod "$ISTIO_VERSION" "$ld" \
    "istio.io/istio/pilot/cmd/pilot-discovery@$ISTIO_VERSION"
  GO_TAGS=agent,disable_pgv,grpcnotrace,retrynotrace go_install istio-agent "$ISTIO_VERSION" "$ld" \
    "istio.io/istio/pilot/cmd/pilot-agent@$ISTIO_VERSION"
}

build_pause() {
  local src
  src="$(cd "$IMAGES/go/kubernetes" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c"
  [ -f "$src" ] || die "pause.c not found at $src: run (cd images/go/kubernetes && go mod download k8s.io/kubernetes)"
  apt_install gcc libc6-dev # the static pause build; new host packages only (lib.sh)
  local want
  want="pause $PAUSE_VERSION $(hash12 "$src") $(gcc --version 2>/dev/null | head -n1)"
  if [ -f "$PAUSE_BIN/.stamp" ] && [ "$(cat "$PAUSE_BIN/.stamp")" = "$want" ]; then return 0; fi
  mkdir -p "$PAUSE_BIN"
  gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION-clusterproof" -o "$PAUSE_BIN/pause" "$src" \
    || die "gcc -static pause.c failed (is libc6-dev installed? apt-get install libc6-dev)"
  strip "$PAUSE_BIN/pause" 2>/dev/null || true
  echo "$want" > "$PAUSE_BIN/.stamp"
}

# ---------- images ----------

DEBIAN_IMAGE="" BASE_IMAGE="" LB_TAG="" NODE_TAG="" PROBE_TAG="" KUBE_ROUTER_TAG="" ROLLOUTS_TAG="" ROLLOUTS_BUILD_TAG=""
IMDS_TAG="" WEBHOOK_TAG="" ISTIOD_TAG="" ISTIO_PROXY_TAG=""
declare -a NODE_IMAGES=()

image_debian() {
  local h
  h="$(hash12 debootstrap minbase "$DEBIAN_SUITE" "$DEBIAN_MIRROR" ca-certificates)"
  DEBIAN_IMAGE="clusterproof/debian:$DEBIAN_SUITE-$h"
  image_exists "$DEBIAN_IMAGE" && return 0
  apt_install debootstrap # builds the Debian rootfs; a new host package only (lib.sh)
  local dir="$WORK/rootfs-$DEBIAN_SUITE-$h" logf="$LOGS/debootstrap-$DEBIAN_SUITE.log"
  log "debootstrap $DEBIAN_SUITE into $dir (log: $logf)"
  rm -rf "$dir"
  debootstrap --variant=minbase --include=ca-certificates "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR" > "$logf" 2>&1 \
    || { tail -n 15 "$logf" >&2; die "debootstrap $DEBIAN_SUITE failed; log: $logf"; }
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  tar -C "$dir" -c . | docker import - "$DEBIAN_IMAGE" >/dev/null \
    || die "docker import of the $DEBIAN_SUITE rootfs failed"
  rm -rf "$dir"
}

image_base() {
  local kindsrc ctx h
  kindsrc="$(go mod download -json "sigs.k8s.io/kind@$KIND_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$kindsrc/images/base/files" ] || die "kind's sources not found in the module cache: go mod download sigs.k8s.io/kind@$KIND_VERSION"
  h="$(hash12 "$DEBIAN_IMAGE" "$KIND_VERSION" "$IMAGES/base")"
  BASE_IMAGE="clusterproof/base:$h"
  image_exists "$BASE_IMAGE" && return 0
  ctx="$WORK/ctx-base"
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp -r "$IMAGES/base/." "$ctx/"
  cp -r "$kindsrc/images/base/files" "$ctx/kind-files"
  chmod -R u+w "$ctx"
  docker_build base "$ctx" "$BASE_IMAGE" -- --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE"
  rm -rf "$ctx"
}

image_lb() {
  local h
  h="$(hash12 "$DEBIAN_IMAGE" "$IMAGES/lb")"
  LB_TAG="clusterproof/lb:$h"
  image_exists "$LB_TAG" || docker_build lb "$IMAGES/lb" "$LB_TAG" -- --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE"
  # kind pulls its LB image only when missing: our build under kind's exact name means no pull.
  docker tag "$LB_TAG" "$KIND_LB_IMAGE"
}

# component_image NAME VERSION ALIAS ENTRYPOINT FILE...: a FROM-scratch image of static binaries.
component_image() {
  local name="$1" version="$2" alias="$3" entry="$4"
  shift 4
  local h tag ctx f
  h="$(hash12 "$IMAGES/component" "$entry" "$@" "$(for f in "$@"; do cat "$(dirname "$f")/.stamp"; done)")"
  tag="clusterproof/$name:$version-$h"
  if ! image_exists "$tag"; then
    ctx="$WORK/ctx-$name"
    rm -rf "$ctx" && mkdir -p "$ctx/bin"
    cp "$IMAGES/component/Dockerfile" "$ctx/"
    printf 'ENTRYPOINT ["/usr/local/bin/%s"]\n' "$entry" >> "$ctx/Dockerfile"
    cp "$@" "$ctx/bin/"
    docker_build "$name" "$ctx" "$tag"
    rm -rf "$ctx"
  fi
  [ -z "$alias" ] || docker tag "$tag" "$alias"
  NODE_IMAGES+=("${alias:-$tag}")
  LAST_TAG="$tag"
}

# debian_image NAME VERSION ALIAS DIR BINARY...: Debian-based image (kube-proxy, kube-router) from DIR/Dockerfile.
debian_image() {
  local name="$1" version="$2" alias="$3" dir="$4"
  shift 4
  local h tag ctx f
  h="$(hash12 "$DEBIAN_IMAGE" "$dir" "$IMAGES/shared" "$(for f in "$@"; do cat "$(dirname "$f")/.stamp"; done)")"
  tag="clusterproof/$name:$version-$h"
  if ! image_exists "$tag"; then
    ctx="$WORK/ctx-$name"
    rm -rf "$ctx" && mkdir -p "$ctx/bin"
    cp -r "$dir/." "$ctx/"
    cp "$IMAGES/shared/select-iptables" "$ctx/"
    cp "$@" "$ctx/bin/"
    docker_build "$name" "$ctx" "$tag" -- --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE"
    rm -rf "$ctx"
  fi
  [ -z "$alias" ] || docker tag "$tag" "$alias"
  NODE_IMAGES+=("${alias:-$tag}")
  LAST_TAG="$tag"
}

# The names kubeadm expects, checked against versions.env so a version bump cannot silently pull.
check_kubeadm_images() {
  local list want
  list="$("$K8S_BIN/kubeadm" config images list --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null)" \
    || die "$K8S_BIN/kubeadm config images list failed; rm -rf $K8S_BIN and rerun"
  for want in "registry.k8s.io/coredns/coredns:$COREDNS_VERSION" "registry.k8s.io/pause:$PAUSE_VERSION" \
    "registry.k8s.io/kube-apiserver:$KUBERNETES_VERSION"; do
    grep -qx "$want" <<<"$list" || die "kubeadm $KUBERNETES_VERSION expects images:
$list
but images/versions.env gives $want: set COREDNS_VERSION / PAUSE_VERSION in images/versions.env to kubeadm's"
  done
}

component_images() {
  local kv="$KUBERNETES_VERSION" c
  check_kubeadm_images
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    component_image "$c" "$kv" "registry.k8s.io/$c:$kv" "$c" "$K8S_BIN/$c"
  done
  debian_image kube-proxy "$kv" "registry.k8s.io/kube-proxy:$kv" "$IMAGES/kube-proxy" "$K8S_BIN/kube-proxy"
  component_image etcd "$ETCD_VERSION" "registry.k8s.io/etcd:$ETCD_IMAGE_TAG" etcd \
    "$ETCD_BIN/etcd" "$ETCD_BIN/etcdctl" "$ETCD_BIN/etcdutl"
  component_image coredns "$COREDNS_VERSION" "registry.k8s.io/coredns/coredns:$COREDNS_VERSION" coredns "$COREDNS_BIN/coredns"
  component_image pause "$PAUSE_VERSION" "registry.k8s.io/pause:$PAUSE_VERSION" pause "$PAUSE_BIN/pause"
  docker tag "registry.k8s.io/pause:$PAUSE_VERSION" "registry.k8s.io/pause:$PAUSE_KIND_SANDBOX_TAG"
  NODE_IMAGES+=("registry.k8s.io/pause:$PAUSE_KIND_SANDBOX_TAG")
  debian_image kube-router "$KUBE_ROUTER_VERSION" "clusterproof.local/kube-router:$KUBE_ROUTER_VERSION" \
    "$IMAGES/kube-router" "$KUBE_ROUTER_BIN/kube-router"
  KUBE_ROUTER_TAG="clusterproof.local/kube-router:$KUBE_ROUTER_VERSION"
  component_image probe "$PROBE_HASH" "" probe "$BIN/probe-$PROBE_HASH/probe" "$BIN/meshprobe-$MESHPROBE_HASH/meshprobe"
  PROBE_TAG="$LAST_TAG"
  # Static, talks only to the API server through its ServiceAccount (no CA bundle needed); /tmp and its plugin
  # directory are emptyDir volumes in images/manifests/argo-rollouts.yaml, which runs it as upstream's user 999.
  component_image argo-rollouts "$ARGO_ROLLOUTS_VERSION" "clusterproof.local/argo-rollouts:$ARGO_ROLLOUTS_VERSION" \
    rollouts-controller "$ARGO_ROLLOUTS_BIN/rollouts-controller"
  ROLLOUTS_TAG="clusterproof.local/argo-rollouts:$ARGO_ROLLOUTS_VERSION"
  ROLLOUTS_BUILD_TAG="$LAST_TAG"
  debian_image imds-emulator "$EC2_METADATA_MOCK_VERSION" "clusterproof.local/imds-emulator:$EC2_METADATA_MOCK_VERSION" \
    "$IMAGES/imds-emulator" "$IMDS_MOCK_BIN/ec2-metadata-mock"
  IMDS_TAG="clusterproof.local/imds-emulator:$EC2_METADATA_MOCK_VERSION"
  # Static; talks only to the API server with its ServiceAccount (an informer on ServiceAccounts).
  component_image pod-identity-webhook "$POD_IDENTITY_WEBHOOK_VERSION" \
    "clusterproof.local/pod-identity-webhook:$POD_IDENTITY_WEBHOOK_VERSION" amazon-eks-pod-identity-webhook \
    "$WEBHOOK_BIN/amazon-eks-pod-identity-webhook"
  WEBHOOK_TAG="clusterproof.local/pod-identity-webhook:$POD_IDENTITY_WEBHOOK_VERSION"
  # Istio, under the names the rendered charts reference (images/istio/values.yaml: <global.hub>/pilot and
  # <global.hub>/proxyv2 at global.tag): istiod, and pilot-agent alone for the grpc-agent injection template.
  debian_image istiod "$ISTIO_TAG" "$ISTIO_HUB/pilot:$ISTIO_TAG" "$IMAGES/istio/pilot" "$ISTIOD_BIN/pilot-discovery"
  ISTIOD_TAG="$ISTIO_HUB/pilot:$ISTIO_TAG"
  debian_image istio-proxy "$ISTIO_TAG" "$ISTIO_HUB/proxyv2:$ISTIO_TAG" "$IMAGES/istio/proxy" "$ISTIO_AGENT_BIN/pilot-agent"
  ISTIO_PROXY_TAG="$ISTIO_HUB/proxyv2:$ISTIO_TAG"
}

# node_fill CONTAINER: binaries, /kind/version, and every image imported into containerd (each step checked:
# set -e does not apply inside a function called from `||`).
node_fill() {
  local c="$1" b i
  for b in kubelet kubeadm kubectl; do docker cp "$K8S_BIN/$b" "$c:/usr/bin/$b" || return 1; done
  for b in etcdctl etcdutl; do docker cp "$ETCD_BIN/$b" "$c:/usr/local/bin/$b" || return 1; done
  docker cp "$CRICTL_BIN/crictl" "$c:/usr/local/bin/crictl" || return 1
  docker exec "$c" bash -c "chown root:root /usr/bin/kube* /usr/local/bin/etcd* /usr/local/bin/crictl \
    && chmod 0755 /usr/bin/kube* /usr/local/bin/etcd* /usr/local/bin/crictl \
    && mkdir -p /kind && echo $KUBERNETES_VERSION > /kind/version" || return 1
  # /opt/cni/bin: Debian's plugins, with bridge/host-local/loopback/portmap replaced by CNI_PLUGINS_VERSION.
  docker exec "$c" bash -c 'rm -rf /opt/cni/bin && mkdir -p /opt/cni/bin && ln -s /usr/lib/cni/* /opt/cni/bin/' || return 1
  for b in "$CNI_BIN"/*; do
    docker exec "$c" rm -f "/opt/cni/bin/$(basename "$b")" || return 1
    docker cp "$b" "$c:/opt/cni/bin/" || return 1
  done
  docker exec "$c" bash -c 'chown root:root /opt/cni/bin/* && test -x /opt/cni/bin/bridge && test -x /opt/cni/bin/host-local' || return 1
  docker exec "$c" bash -c 'nohup containerd > /tmp/containerd.log 2>&1 &' || return 1
  docker exec "$c" bash -c 'for i in $(seq 1 30); do [ -S /run/containerd/containerd.sock ] && exit 0; sleep 1; done; cat /tmp/containerd.log; exit 1' || return 1
  for i in "${NODE_IMAGES[@]}"; do
    echo "importing $i"
    docker save "$i" | docker exec -i "$c" ctr --namespace=k8s.io images import \
      --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests - || return 1
  done
  docker exec "$c" ctr --namespace=k8s.io images ls -q > "$WORK/node-images.txt" || return 1
  cat "$WORK/node-images.txt"
}

# Bump when image_node/node_fill change what goes into the node image (their code is not hashed).
NODE_BUILDER_REV=3

image_node() {
  local ids="" i h
  for i in "${NODE_IMAGES[@]}"; do ids="$ids $i=$(docker image inspect -f '{{.Id}}' "$i")"; done
  h="$(hash12 "$NODE_BUILDER_REV" "$BASE_IMAGE" "$ids" "$(cat "$CNI_BIN/.stamp")" "$(cat "$CRICTL_BIN/.stamp")" "$(stamp_of "kubernetes-$KUBERNETES_VERSION")" "$(stamp_of "etcd-$ETCD_VERSION")" "$KUBERNETES_VERSION")"
  NODE_TAG="clusterproof/node:$KUBERNETES_VERSION-$h"
  image_exists "$NODE_TAG" && return 0
  local c="cp-nodebuild-$h" logf="$LOGS/image-node.log"
  log "building node image $NODE_TAG (log: $logf)"
  docker rm -f "$c" >/dev/null 2>&1 || true
  # Same shape as kind's own builder (pkg/build/nodeimage): a sleeping container, binaries copied in,
  # containerd started by hand to import images, then docker commit with kind's entrypoint restored.
  # No --label here: docker commit would bake it into the node image and so onto every kind node.
  docker run -d --name "$c" --privileged --security-opt seccomp=unconfined \
    --entrypoint=sleep "$BASE_IMAGE" infinity > "$logf" 2>&1 || { cat "$logf" >&2; die "could not start the node build container; log: $logf"; }
  trap 'docker rm -f "'"$c"'" >/dev/null 2>&1 || true' EXIT
  node_fill "$c" >> "$logf" 2>&1 || { tail -n 20 "$logf" >&2; die "node image build failed; log: $logf"; }
  for i in "${NODE_IMAGES[@]}"; do
    # ctr stores docker's short names fully qualified (clusterproof/x -> docker.io/clusterproof/x).
    grep -qxE "(docker\.io/)?$i" "$WORK/node-images.txt" \
      || die "image $i missing in the node image after import; log: $logf"
  done
  # PID 1 here is `sleep`, which never reaps: a stopped containerd stays a zombie, so wait for state Z.
  docker exec "$c" bash -c 'pkill -x containerd; for i in $(seq 1 40); do ps -C containerd -o stat= | grep -qv "^Z" || { rm -f /tmp/containerd.log; exit 0; }; sleep 0.5; done; exit 1' \
    >> "$logf" 2>&1 || die "containerd in the node build container did not stop; log: $logf"
  docker commit --change 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' --change 'CMD []' \
    "$c" "$NODE_TAG" >> "$logf" 2>&1 || die "docker commit of the node image failed; log: $logf"
  docker rm -f "$c" >/dev/null 2>&1 || true
  trap - EXIT
}

# The Argo Rollouts install `up` applies: the module's own CRDs (manifests/crds, verbatim, kustomization order)
# followed by images/manifests/argo-rollouts.yaml (controller, RBAC; derived from the module's install.yaml,
# see its header). Written to the cache, keyed by both inputs: 3 MB of generated schema is not checked in.
ROLLOUTS_MANIFEST=""
rollouts_manifest() {
  local src="$IMAGES/manifests/argo-rollouts.yaml" dir h out f
  grep -q "image: clusterproof.local/argo-rollouts:$ARGO_ROLLOUTS_VERSION\$" "$src" \
    || die "$src does not run clusterproof.local/argo-rollouts:$ARGO_ROLLOUTS_VERSION (versions.env ARGO_ROLLOUTS_VERSION): re-derive it from that version's manifests/install.yaml (see its header)"
  dir="$(cd "$IMAGES/go/argo-rollouts" && GOTOOLCHAIN="$ARGO_ROLLOUTS_GO_TOOLCHAIN" go list -m -f '{{.Dir}}' github.com/argoproj/argo-rollouts)/manifests/crds"
  [ -f "$dir/rollout-crd.yaml" ] || die "Argo Rollouts CRDs not found at $dir: run (cd images/go/argo-rollouts && go mod download)"
  h="$(hash12 "$src" "$dir")"
  mkdir -p "$CP_CACHE/manifests"
  out="$CP_CACHE/manifests/argo-rollouts-$ARGO_ROLLOUTS_VERSION-$h.yaml"
  if [ ! -f "$out" ]; then
    {
      for f in rollout experiment analysis-run analysis-template cluster-analysis-template; do
        cat "$dir/$f-crd.yaml"
        echo '---'
      done
      cat "$src"
    } > "$out.tmp" && mv "$out.tmp" "$out"
  fi
  ROLLOUTS_MANIFEST="$out"
}

# The Istio install `up --mesh istio` applies: the istio-system Namespace, then the module's own Helm charts rendered
# with the pinned helm (harness/collect/render/tools.json; scripts/setup-tools.sh builds it) and
# images/istio/values.yaml: manifests/charts/base (CRDs) and manifests/charts/istio-control/istio-discovery (istiod,
# its injection webhook and templates). Cached by a hash of the charts, the values, the tag and helm's version.
ISTIO_MANIFEST=""
istio_manifest() {
  local charts helm_version helm values="$IMAGES/istio/values.yaml" h out
  charts="$(cd /tmp && go mod download -json "istio.io/istio@$ISTIO_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')/manifests/charts"
  [ -f "$charts/base/Chart.yaml" ] || die "Istio's charts not found at $charts: run go mod download istio.io/istio@$ISTIO_VERSION"
  helm_version="$(sed -n '/"helm": {/,/}/s/^\s*"version": "\(.*\)",\{0,1\}$/\1/p' "$CP_ROOT/harness/collect/render/tools.json")"
  helm="$BIN/helm-$helm_version/helm"
  [ -x "$helm" ] || die "helm $helm_version (harness/collect/render/tools.json) is not built at $helm: run bash scripts/setup-tools.sh"
  h="$(hash12 "$charts/base" "$charts/istio-control/istio-discovery" "$values" "$ISTIO_HUB" "$ISTIO_TAG" "$helm_version" "$KUBERNETES_VERSION")"
  mkdir -p "$CP_CACHE/manifests"
  out="$CP_CACHE/manifests/istio-$ISTIO_TAG-$h.yaml"
  if [ ! -f "$out" ]; then
    local common=(--namespace istio-system --kube-version "$KUBERNETES_VERSION" --values "$values"
      --set "global.hub=$ISTIO_HUB" --set "global.tag=$ISTIO_TAG")
    {
      printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n---\n'
      "$helm" template istio-base "$charts/base" "${common[@]}"
      echo '---'
      "$helm" template istiod "$charts/istio-control/istio-discovery" "${common[@]}"
    } > "$out.tmp" || die "helm template of Istio's charts ($charts) failed (see above); values: $values"
    grep -qF "image: \"$ISTIO_HUB/pilot:$ISTIO_TAG\"" "$out.tmp" \
      || die "the rendered istiod Deployment does not run $ISTIO_HUB/pilot:$ISTIO_TAG: check global.hub/tag in $values"
    mv "$out.tmp" "$out"
  fi
  ISTIO_MANIFEST="$out"
}

write_json() {
  cat > "$IMAGES_JSON.tmp" <<EOF
{
  "node": "$NODE_TAG",
  "loadBalancer": "$KIND_LB_IMAGE",
  "loadBalancerBuild": "$LB_TAG",
  "probe": "$PROBE_TAG",
  "kubeRouter": "$KUBE_ROUTER_TAG",
  "base": "$BASE_IMAGE",
  "kubernetesVersion": "$KUBERNETES_VERSION",
  "etcdVersion": "$ETCD_VERSION",
  "etcdImageTag": "$ETCD_IMAGE_TAG",
  "corednsVersion": "$COREDNS_VERSION",
  "kubeRouterVersion": "$KUBE_ROUTER_VERSION",
  "kindVersion": "$KIND_VERSION",
  "kind": "$KIND_BIN/kind",
  "kubectl": "$K8S_BIN/kubectl",
  "etcdctl": "$ETCD_BIN/etcdctl",
  "crictlVersion": "$CRICTL_VERSION",
  "networkPolicyManifest": "$IMAGES/manifests/kube-router.yaml",
  "argoRolloutsVersion": "$ARGO_ROLLOUTS_VERSION",
  "argoRollouts": "$ROLLOUTS_TAG",
  "argoRolloutsBuild": "$ROLLOUTS_BUILD_TAG",
  "argoRolloutsManifest": "$ROLLOUTS_MANIFEST",
  "imdsEmulator": "$IMDS_TAG",
  "podIdentityWebhook": "$WEBHOOK_TAG",
  "istioVersion": "$ISTIO_VERSION",
  "istiod": "$ISTIOD_TAG",
  "istioProxy": "$ISTIO_PROXY_TAG",
  "istioManifest": "$ISTIO_MANIFEST"
}
EOF
  mv "$IMAGES_JSON.tmp" "$IMAGES_JSON"
  cat "$IMAGES_JSON"
}

build() {
  preflight
  local start
  start="$(now)"
  timed "go: kubernetes $KUBERNETES_VERSION" build_kubernetes
  timed "go: etcd $ETCD_VERSION" build_etcd
  timed "go: coredns $COREDNS_VERSION" build_coredns
  timed "go: kube-router $KUBE_ROUTER_VERSION" build_kube_router
  timed "go: probe" build_probe
  timed "go: meshprobe" build_meshprobe
  timed "go: argo-rollouts $ARGO_ROLLOUTS_VERSION" build_argo_rollouts
  timed "go: kind $KIND_VERSION" build_kind
  timed "go: cni plugins $CNI_PLUGINS_VERSION" build_cni
  timed "go: crictl $CRICTL_VERSION" build_crictl
  timed "go: aws emulation ($EC2_METADATA_MOCK_VERSION, $POD_IDENTITY_WEBHOOK_VERSION)" build_aws_emulation
  timed "go: istio $ISTIO_VERSION" build_istio
  timed "gcc: pause $PAUSE_VERSION" build_pause
  timed "image: debian $DEBIAN_SUITE" image_debian
  timed "image: base" image_base
  timed "image: load balancer" image_lb
  timed "images: components" component_images
  timed "image: node" image_node
  timed "manifest: argo-rollouts" rollouts_manifest
  timed "manifest: istio" istio_manifest
  log "all images ready in $(($(now) - start))s"
  write_json
}

case "${1:-}" in
  build) build ;;
  step) shift; preflight; for f in "$@"; do timed "$f" "$f"; done ;; # debugging: `images.sh step image_debian image_lb`
  json) [ -f "$IMAGES_JSON" ] || die "no $IMAGES_JSON yet: run bash scripts/images.sh build"; cat "$IMAGES_JSON" ;;
  *) die "usage: scripts/images.sh build|json" ;;
esac
