#!/usr/bin/env bash
# Makes a Docker engine >= 26 answer on /var/run/docker.sock. Idempotent: does nothing when one already does.
#   bash scripts/setup-docker.sh                   engine from its own Debian root (host packages untouched)
#   bash scripts/setup-docker.sh --install-docker  docker.io from trixie into the HOST's packages (lists what
#                                                  it upgrades/removes first; the flag is the consent)
# Why >= 26: bookworm's docker.io 20.10 cannot start `--privileged` containers here (root lacks
# CAP_SYS_RESOURCE and 20.10 insists on applying it); trixie's 26.x applies only the bounding set. trixie's
# docker.io needs trixie's libc, so apt cannot put it on a bookworm host without upgrading the base system
# (dpkg, apt, perl, python3, ...). By default the engine therefore runs from a trixie root filesystem that
# debootstrap builds under $CP_CACHE/docker-engine/ (cached by content hash; a second run reuses it).
# No systemd needed: dockerd runs in its own session, logging to $CP_CACHE/dockerd.log.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../images/versions.env
source "$CP_ROOT/images/versions.env" # DEBIAN_SUITE, DEBIAN_MIRROR: the same trixie the images use

MIN_DOCKER_MAJOR=26
DOCKERD_LOG="$CP_CACHE/dockerd.log"
# What the engine root holds (docker.io pulls in tini; docker-cli is only a Recommends). Part of the cache key.
ENGINE_PACKAGES="docker.io,docker-cli,containerd,runc,iptables"
ENGINE_ROOT="$CP_CACHE/docker-engine/$DEBIAN_SUITE-$(printf '%s\n' engine-root-v1 "$DEBIAN_SUITE" "$DEBIAN_MIRROR" "$ENGINE_PACKAGES" | sha256sum | cut -c1-12)"

CP_INSTALL_DOCKER=0
for a in "$@"; do
  case "$a" in
    --install-docker) CP_INSTALL_DOCKER=1 ;;
    *) die "unknown argument '$a'; usage: bash scripts/setup-docker.sh [--install-docker]" ;;
  esac
done
export CP_INSTALL_DOCKER

# No pgrep (procps is not on every fresh host). A killed dockerd whose parent is gone can linger as a
# zombie until pid 1 reaps it: that one is not running.
dockerd_running() {
  local f
  for f in $(grep -lx dockerd /proc/[0-9]*/comm 2>/dev/null); do
    grep -q '^State:[[:space:]]*[ZX]' "${f%comm}status" 2>/dev/null || return 0
  done
  return 1
}
server_version() { docker version --format '{{.Server.Version}}' 2>/dev/null; }
server_major() {
  local v
  v="$(server_version)" && [ -n "$v" ] || return 1
  echo "${v%%.*}"
}

# Every kind node runs systemd, kubelet (cAdvisor) and containerd, each taking inotify instances from the
# host's per-user budget; the default 128 runs out at about five nodes ("inotify_init: too many open
# files", kubelet and kube-proxy crash-loop). Raise it like kind's known-issues page says.
raise_inotify() {
  [ "$(id -u)" -ne 0 ] || { echo 8192 > /proc/sys/fs/inotify/max_user_instances && echo 524288 > /proc/sys/fs/inotify/max_user_watches; } \
    || log "warning: could not raise fs.inotify limits; clusters over ~4 nodes may fail with 'too many open files'"
}

# ---------- engine root (default) ----------

# debootstrap minbase + the engine packages, built in a .tmp dir and moved into place only when complete.
build_engine_root() {
  [ -f "$ENGINE_ROOT/.complete" ] && return 0
  apt_install debootstrap
  local logf="$CP_CACHE/logs/docker-engine-root.log" start
  mkdir -p "$CP_CACHE/logs" "$(dirname "$ENGINE_ROOT")"
  log "building the Docker engine root: debootstrap $DEBIAN_SUITE + $ENGINE_PACKAGES into $ENGINE_ROOT (log: $logf)"
  start="$(date +%s)"
  rm -rf "$ENGINE_ROOT.tmp"
  debootstrap --variant=minbase --include="$ENGINE_PACKAGES" "$DEBIAN_SUITE" "$ENGINE_ROOT.tmp" "$DEBIAN_MIRROR" > "$logf" 2>&1 \
    || { tail -n 15 "$logf" >&2; die "debootstrap of the engine root failed; log: $logf; fix the cause (mirror access, disk space) and rerun"; }
  rm -rf "$ENGINE_ROOT.tmp"/var/cache/apt/archives/*.deb "$ENGINE_ROOT.tmp"/var/lib/apt/lists/*
  mkdir -p "$ENGINE_ROOT.tmp/usr/lib/modules"
  [ -x "$ENGINE_ROOT.tmp/usr/sbin/dockerd" ] || die "the engine root has no /usr/sbin/dockerd; log: $logf"
  touch "$ENGINE_ROOT.tmp/.complete"
  rm -rf "$ENGINE_ROOT" && mv "$ENGINE_ROOT.tmp" "$ENGINE_ROOT"
  # Roots of other package lists or suites are stale (no engine runs: this only builds before a start).
  find "$(dirname "$ENGINE_ROOT")" -mindepth 1 -maxdepth 1 ! -path "$ENGINE_ROOT" -exec rm -rf {} +
  log "engine root ready in $(($(date +%s) - start))s"
}

# Runs in a private mount namespace (unshare -m), so nothing here is visible on the host. Why not chroot:
# there every host path a container bind-mounts (/lib/modules, /tmp, $HOME, a checkout anywhere) would have
# to be mirrored into the root, and runc's pivot_root fails unless the chroot is a mount point. Here the
# host's / stays the root and only /usr (the binaries and libraries; / is merged-usr) is trixie's, plus the
# two /etc files the loader and iptables' alternatives read. The host's /lib/modules is mounted back,
# since kind mounts it into every node.
# shellcheck disable=SC2016
ENGINE_NS_SCRIPT='
set -eu
root="$1"
# New peer groups, private to this namespace: containers may ask for shared/slave bind propagation.
mount --make-rshared /
mount --bind "$(readlink -f /lib/modules)" "$root/usr/lib/modules"
mount --bind "$root/etc/alternatives" /etc/alternatives
mount --bind "$root/etc/ld.so.cache" /etc/ld.so.cache
mount --rbind "$root/usr" /usr
export PATH=/usr/sbin:/usr/bin
exec dockerd
'

start_engine_from_root() {
  [ -L /lib ] || die "this host is not merged-usr (/lib is a directory), so trixie's /usr alone cannot run dockerd; fix: rerun with --install-docker (changes host packages), or install Docker >= $MIN_DOCKER_MAJOR yourself"
  mkdir -p /etc/alternatives /var/lib/docker
  [ -f /etc/ld.so.cache ] || touch /etc/ld.so.cache
  log "starting dockerd $(dpkg-query --admindir="$ENGINE_ROOT/var/lib/dpkg" -W -f '${Version}' docker.io) from $ENGINE_ROOT (log: $DOCKERD_LOG)"
  # Its own session: killing the caller's process group (a test runner's timeout, Ctrl-C) must not take the
  # engine and every cluster on it down too.
  # 9>&-: the engine must not hold this script's lock.
  setsid nohup unshare --mount --propagation private bash -c "$ENGINE_NS_SCRIPT" engine "$ENGINE_ROOT" \
    >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
  disown || true
}

# The host needs a docker CLI (images.sh, kind, the harness). Without one, the engine root's CLI is run
# through the root's own loader and libraries (it is a plain client: no re-exec, no plugins needed).
ensure_docker_cli() {
  local cli=/usr/local/bin/docker marker='Written by clusterproof scripts/setup-docker.sh'
  if grep -qs "$marker" "$cli"; then
    : # ours: rewritten below, since the engine root it names may have been rebuilt under a new hash
  elif command -v docker >/dev/null; then
    return 0
  else
    [ ! -e "$cli" ] || die "$cli exists but is not on PATH; fix: export PATH=/usr/local/bin:\$PATH"
    log "no docker CLI on PATH: installing $cli, which runs the CLI from $ENGINE_ROOT"
  fi
  cat > "$cli" <<EOF
#!/bin/sh
# $marker: the docker CLI of the engine root, with that root's libraries.
exec "$ENGINE_ROOT/usr/lib64/ld-linux-x86-64.so.2" --library-path "$ENGINE_ROOT/usr/lib/x86_64-linux-gnu" "$ENGINE_ROOT/usr/bin/docker" "\$@"
EOF
  chmod 755 "$cli"
}

# ---------- host packages (--install-docker) ----------

host_docker_major() {
  local v
  v="$(dpkg-query -W -f '${Version}' docker.io 2>/dev/null)" && [ -n "$v" ] || return 1
  v="${v#*:}"
  echo "${v%%.*}"
}

# The old route, only on request: trixie as target release upgrades the host's base system. Says what
# changes before it changes it.
install_host_docker() {
  if m="$(host_docker_major)" && [ "$m" -ge "$MIN_DOCKER_MAJOR" ]; then return 0; fi
  log "--install-docker: adding Debian trixie (pin 100) and installing docker.io, containerd, runc into the host's packages"
  cat > /etc/apt/sources.list.d/clusterproof-trixie.sources <<'EOF'
# Added by clusterproof scripts/setup-docker.sh --install-docker: Docker >= 26 for --privileged node containers.
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat > /etc/apt/preferences.d/clusterproof-trixie <<'EOF'
# Added by clusterproof scripts/setup-docker.sh --install-docker: nothing comes from trixie unless asked for.
Package: *
Pin: release n=trixie
Pin-Priority: 100
EOF
  apt-get update >&2 || die "apt-get update failed (see above); fix: check /etc/apt/sources.list.d/clusterproof-trixie.sources and access to the Debian mirror"
  local plan
  plan="$(apt-get -s install -y -t trixie docker.io containerd runc iptables 2>&1)" || { printf '%s\n' "$plan" >&2; die "apt cannot install docker.io from trixie (see above)"; }
  log "--install-docker changes these host packages (Inst X [old] = upgrade, Remv = removal):"
  grep -E '^(Inst|Remv) ' <<<"$plan" >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -t trixie docker.io containerd runc iptables >&2 \
    || die "apt-get install -t trixie docker.io containerd runc iptables failed (see above); fix the apt error and rerun"
  m="$(host_docker_major)" && [ "$m" -ge "$MIN_DOCKER_MAJOR" ] \
    || die "host docker.io is ${m:-missing} after apt-get, need >= $MIN_DOCKER_MAJOR; fix: apt-get install -t trixie docker.io"
}

start_host_docker() {
  log "starting the host's dockerd in the background (log: $DOCKERD_LOG)"
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
  disown || true
}

# ---------- main ----------

wait_for_engine() {
  local major
  for _ in $(seq 1 60); do
    if major="$(server_major)"; then
      [ "$major" -ge "$MIN_DOCKER_MAJOR" ] || die "dockerd started but reports version $major (< $MIN_DOCKER_MAJOR); see $DOCKERD_LOG"
      log "docker server $(server_version) is running"
      return 0
    fi
    sleep 1
  done
  tail -n 20 "$DOCKERD_LOG" >&2 || true
  die "dockerd did not answer on /var/run/docker.sock within 60s; see $DOCKERD_LOG (last lines above); fix its cause, stop it (kill \$(pidof dockerd)) and rerun"
}

raise_inotify

# One setup at a time (test.sh and a user's run may start together): the second waits, then finds the engine.
exec 9>"$CP_CACHE/setup-docker.lock"
flock -w 600 9 || die "another scripts/setup-docker.sh has held $CP_CACHE/setup-docker.lock for 10 minutes; fix: wait for it or end it, then rerun"

if major="$(server_major)"; then
  [ "$major" -ge "$MIN_DOCKER_MAJOR" ] \
    || die "a docker server $(server_version) is running but >= $MIN_DOCKER_MAJOR is needed (older engines cannot run --privileged here); fix: stop it, then rerun: bash scripts/setup-docker.sh"
  log "docker server $(server_version) is running; nothing to do"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "starting dockerd needs root; fix: sudo bash scripts/setup-docker.sh"

# kind bind-mounts /lib/modules read-only into every node; this kernel may have no modules, so the
# directory may not exist and `docker run` would refuse the mount.
mkdir -p /lib/modules

if dockerd_running; then
  log "dockerd is running but not answering yet; waiting"
elif [ "$CP_INSTALL_DOCKER" = 1 ]; then
  install_host_docker
  start_host_docker
else
  build_engine_root
  ensure_docker_cli
  start_engine_from_root
fi
wait_for_engine
