#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, installing and starting one if it must.
#
# Our machines (docs: /work/shared/ENVIRONMENT.md) are Debian bookworm, root, no registry and no
# running daemon, so the engine comes from Debian's archive (docker.io, 20.10) and is started in
# the background here. debootstrap is installed alongside because the quorumd base image is built
# from a debootstrap root file system where no registry can be pulled.
#
# Idempotent: when `docker info` already answers it prints that and exits 0 at once.
# Exit codes: 0 the engine answers; 1 it could not be set up here (the message says what to do).
#
# Environment:
#   QUORUMCHECK_DOCKERD_LOG     where dockerd writes its log (default /var/log/dockerd.log)
#   QUORUMCHECK_DOCKERD_WAIT_S  how long to wait for a started dockerd to answer (default 60)
#   QUORUMCHECK_SKIP_INSTALL=1  never run apt-get; only start an installed dockerd
set -euo pipefail

dockerd_log="${QUORUMCHECK_DOCKERD_LOG:-/var/log/dockerd.log}"
wait_s_max="${QUORUMCHECK_DOCKERD_WAIT_S:-60}"
packages=(docker.io iptables debootstrap)

say() { printf 'engine-setup: %s\n' "$*"; }

engine_answers() { docker info >/dev/null 2>&1; }

server_version() { docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown; }

is_debian() { [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }

print_manual_steps() {
  cat <<'EOF'
engine-setup: no Docker engine answers, and this script can only install one as root on Debian.
  Do one of these, then run the tests again:
  - Debian/Ubuntu as root:  apt-get update && apt-get install -y docker.io iptables debootstrap
                            dockerd >/var/log/dockerd.log 2>&1 &
  - any machine:            install Docker Engine or Docker Desktop and start it, so that
                            `docker info` answers for your user (e.g. add yourself to the
                            `docker` group, or set DOCKER_HOST).
EOF
}

missing_packages() {
  local missing=()
  for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  echo "${missing[@]:-}"
}

# apt-get update is slow, so it runs only when apt does not know a candidate for every package.
apt_knows_all() {
  local package
  for package in "$@"; do
    if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      return 1
    fi
  done
}

install_packages() {
  local missing
  read -r -a missing <<<"$(missing_packages)"
  if [ "${#missing[@]}" -eq 0 ]; then
    say "packages already installed: ${packages[*]}"
    return
  fi
  local started_s=$SECONDS
  if ! apt_knows_all "${missing[@]}"; then
    say "apt-get update (apt knows no candidate for some of: ${missing[*]})"
    apt-get update -qq
  fi
  say "apt-get install ${missing[*]} (this can take a minute)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "installed ${missing[*]} in $((SECONDS - started_s)) s"
}

start_dockerd() {
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd is already running (pid $(pgrep -x dockerd | head -n1)); waiting for it to answer"
  else
    say "starting dockerd in the background, log in $dockerd_log"
    # setsid: the daemon must outlive this script and the test process that started it.
    setsid nohup dockerd >>"$dockerd_log" 2>&1 </dev/null &
  fi
  local waited_s=0
  while ! engine_answers; do
    if [ "$waited_s" -ge "$wait_s_max" ]; then
      say "dockerd did not answer within ${wait_s_max} s; last lines of $dockerd_log:"
      tail -n 20 "$dockerd_log" >&2 || true
      exit 1
    fi
    sleep 1
    waited_s=$((waited_s + 1))
  done
  say "dockerd answers after ${waited_s} s (server $(server_version))"
}

main() {
  if engine_answers; then
    say "Docker engine already answers (server $(server_version)); nothing to do"
    exit 0
  fi
  if [ "$(id -u)" -ne 0 ] || ! is_debian; then
    print_manual_steps >&2
    exit 1
  fi
  if [ "${QUORUMCHECK_SKIP_INSTALL:-0}" != 1 ]; then
    install_packages
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    say "dockerd is not installed (QUORUMCHECK_SKIP_INSTALL=1?)" >&2
    print_manual_steps >&2
    exit 1
  fi
  start_dockerd
}

main "$@"
