#!/usr/bin/env bash
# deploy/docker/debian-bases.sh: the base images of the offline build (IMAGE_BASE=offline), made
# without any image registry, from Debian's packages only: a minimal Debian root file system
# (debootstrap --variant=minbase), copied once per role with that role's packages installed
# (chroot + apt-get on this host, so no build container needs the network) and imported:
#
#   scaleout/debian-jre:SUITE        + the native libraries the Java runtime's image codecs load
#                                    (the JRE image, so every service and Kafka, starts from it)
#   scaleout/debian-postgres:SUITE   + postgresql (its user uid 999, no cluster made)
#   scaleout/debian-redis:SUITE      + redis-server (uid 999)
#   scaleout/debian-nginx:SUITE      + nginx-light
#
# Every image gets the suite's updates and security fixes as of the day it is made (its sources
# list names SUITE, SUITE-updates and SUITE-security, and the base is upgraded). An image already
# in the engine is kept (FORCE=1 makes them again, with the fixes published since). Settings:
# DEBIAN_SUITE (bookworm), DEBIAN_MIRROR (http://deb.debian.org/debian) and
# DEBIAN_SECURITY_MIRROR (http://deb.debian.org/debian-security; set it empty for a mirror without
# one): an air-gapped host points them at its own mirrors. Needs root (debootstrap, chroot) and
# installs debootstrap when it is missing.
set -euo pipefail
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR-http://deb.debian.org/debian-security}
# what the JRE image installs on a public base too (jre.Dockerfile): libjavajpeg and liblcms of a
# runtime linked from Debian's JDK load these
jre_packages="libjpeg62-turbo liblcms2-2"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "debian-bases: $*"; }

have_image() { [ -z "${FORCE:-}" ] && docker image inspect "$1" >/dev/null 2>&1; }
if have_image "scaleout/debian-jre:$suite" && have_image "scaleout/debian-postgres:$suite" \
    && have_image "scaleout/debian-redis:$suite" && have_image "scaleout/debian-nginx:$suite"; then
  say "base images for $suite are in the engine already"
  exit 0
fi

host_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}
command -v debootstrap >/dev/null || host_install debootstrap || { echo "error: cannot install debootstrap" >&2; exit 1; }

work=$(mktemp -d /var/tmp/scaleout-rootfs.XXXXXX)
trap 'as_root rm -rf "$work"' EXIT

# what a container never needs: package lists and archives, documentation, other languages
trim() {
  as_root chroot "$1" sh -c 'apt-get clean; rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/*.log \
    /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/lintian/*; \
    find /usr/share/locale -mindepth 1 -maxdepth 1 ! -name "locale.alias" -exec rm -rf {} +'
}

import() {
  trim "$1"
  as_root tar -C "$1" --numeric-owner -c . | docker import - "$2" >/dev/null
  say "made $2 ($(docker image inspect -f '{{.Size}}' "$2" | awk '{printf "%.0f MB", $1/1e6}'))"
}

# install ROOTFS SETUP PACKAGE...: SETUP (shell, run first) may create a package's user with a fixed uid
install_into() {
  local rootfs=$1 setup=$2
  shift 2
  as_root chroot "$rootfs" sh -c "$setup && apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $* > /var/log/scaleout-install.log 2>&1 \
    && rm /var/log/scaleout-install.log" || { cat "$rootfs/var/log/scaleout-install.log" >&2 2>/dev/null; echo "error: cannot install $* into $rootfs" >&2; exit 1; }
}

say "debootstrap $suite from $mirror..."
as_root debootstrap --variant=minbase "$suite" "$work/base" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; echo "error: debootstrap failed" >&2; exit 1; }
# no daemon may start while packages are installed into a copy
printf '#!/bin/sh\nexit 101\n' | as_root tee "$work/base/usr/sbin/policy-rc.d" >/dev/null
as_root chmod 755 "$work/base/usr/sbin/policy-rc.d"
{
  echo "deb $mirror $suite main"
  echo "deb $mirror $suite-updates main"
  [ -z "$security_mirror" ] || echo "deb $security_mirror $suite-security main"
} | as_root tee "$work/base/etc/apt/sources.list" >/dev/null
say "upgrading the base to $suite's updates and security fixes"
as_root chroot "$work/base" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq > /dev/null' \
  || { echo "error: cannot upgrade the base from $mirror${security_mirror:+ and $security_mirror}" >&2; exit 1; }
for role in jre postgres redis nginx; do as_root cp -a "$work/base" "$work/$role"; done

install_into "$work/jre" "true" $jre_packages
import "$work/jre" "scaleout/debian-jre:$suite"

install_into "$work/postgres" "mkdir -p /etc/postgresql-common/createcluster.d \
  && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/scaleout.conf \
  && groupadd --system --gid 999 postgres && useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres" \
  postgresql postgresql-client
import "$work/postgres" "scaleout/debian-postgres:$suite"

install_into "$work/redis" "groupadd --system --gid 999 redis && useradd --system --uid 999 --gid 999 --home-dir /var/lib/redis --shell /usr/sbin/nologin redis" \
  redis-server
import "$work/redis" "scaleout/debian-redis:$suite"

install_into "$work/nginx" "true" nginx-light
import "$work/nginx" "scaleout/debian-nginx:$suite"
