#!/usr/bin/env bash
# Makes a Docker engine >= 26 answer on /var/run/docker.sock. Idempotent: does nothing when one already does.
# Why trixie: bookworm's docker.io 20.10 cannot start `--privileged` containers here (root lacks
# CAP_SYS_RESOURCE and 20.10 insists on applying it); trixie's 26.x applies only the bounding set.
# trixie is added at pin priority 100 so nothing else on the host is upgraded from it.
# No systemd on this host: dockerd is started in the background, logging to $CP_CACHE/dockerd.log.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIN_DOCKER_MAJOR=26
DOCKERD_LOG="$CP_CACHE/dockerd.log"

server_major() {
  local v
  v="$(docker version --format '{{.Server.Version}}' 2>/dev/null)" || return 1
  [ -n "$v" ] || return 1
  echo "${v%%.*}"
}

# Every kind node runs systemd, kubelet (cAdvisor) and containerd, each taking inotify instances from the
# host's per-user budget; the default 128 runs out at about five nodes ("inotify_init: too many open
# files", kubelet and kube-proxy crash-loop). Raise it like kind's known-issues page says.
[ "$(id -u)" -ne 0 ] || sysctl -qw fs.inotify.max_user_instances=8192 fs.inotify.max_user_watches=524288 \
  || log "warning: could not raise fs.inotify limits; clusters over ~4 nodes may fail with 'too many open files'"

if major="$(server_major)"; then
  if [ "$major" -ge "$MIN_DOCKER_MAJOR" ]; then
    log "docker server $(docker version --format '{{.Server.Version}}') is running; nothing to do"
    exit 0
  fi
  die "a docker server $(docker version --format '{{.Server.Version}}') is running but >= $MIN_DOCKER_MAJOR is needed (older engines cannot run --privileged here). Stop it, then rerun: bash scripts/setup-docker.sh"
fi

[ "$(id -u)" -eq 0 ] || die "installing and starting dockerd needs root; rerun as root: sudo bash scripts/setup-docker.sh"

installed_dockerd_major() {
  local v
  v="$(dpkg-query -W -f '${Version}' docker.io 2>/dev/null)" || return 1
  [ -n "$v" ] || return 1
  v="${v#*:}"
  echo "${v%%.*}"
}

if ! m="$(installed_dockerd_major)" || [ "$m" -lt "$MIN_DOCKER_MAJOR" ] || ! command -v dockerd >/dev/null; then
  log "adding Debian trixie at pin priority 100 and installing docker.io, containerd, runc from it"
  cat > /etc/apt/sources.list.d/clusterproof-trixie.sources <<'EOF'
# Added by clusterproof scripts/setup-docker.sh: Docker >= 26 for --privileged node containers.
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat > /etc/apt/preferences.d/clusterproof-trixie <<'EOF'
# Added by clusterproof scripts/setup-docker.sh: take from trixie only what is asked for with -t trixie.
Package: *
Pin: release n=trixie
Pin-Priority: 100
EOF
  apt-get update >&2 \
    || die "apt-get update failed (see above); check /etc/apt/sources.list.d/clusterproof-trixie.sources and network access to the Debian mirror"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -t trixie docker.io containerd runc >&2 \
    || die "apt-get install -t trixie docker.io containerd runc failed (see above); fix the apt error and rerun: bash scripts/setup-docker.sh"
  # Host tools dockerd needs for its bridge network.
  DEBIAN_FRONTEND=noninteractive apt-get install -y iptables ipset >&2 \
    || die "apt-get install iptables ipset failed (see above)"
fi

# kind bind-mounts /lib/modules read-only into every node; this kernel has no modules, so the
# directory may not exist and `docker run` would refuse the mount.
mkdir -p /lib/modules

m="$(installed_dockerd_major)" || die "docker.io is not installed after apt-get; run: apt-get install -t trixie docker.io"
[ "$m" -ge "$MIN_DOCKER_MAJOR" ] \
  || die "installed docker.io is $m.x, need >= $MIN_DOCKER_MAJOR; run: apt-get install -t trixie docker.io containerd runc"

if pgrep -x dockerd >/dev/null; then
  log "dockerd is running but not answering yet; waiting"
else
  log "starting dockerd in the background (log: $DOCKERD_LOG)"
  # Its own session: killing the caller's process group (a test runner's timeout, Ctrl-C) must not take the
  # engine and every cluster on it down too.
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  disown || true
fi

for _ in $(seq 1 60); do
  if major="$(server_major)"; then
    [ "$major" -ge "$MIN_DOCKER_MAJOR" ] || die "dockerd started but reports version $major (< $MIN_DOCKER_MAJOR); check which dockerd is on PATH: $(command -v dockerd)"
    log "docker server $(docker version --format '{{.Server.Version}}') is running"
    exit 0
  fi
  sleep 1
done
tail -n 20 "$DOCKERD_LOG" >&2 || true
die "dockerd did not answer on /var/run/docker.sock within 60s; see $DOCKERD_LOG (last lines above)"
