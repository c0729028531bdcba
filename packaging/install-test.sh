#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Installs the Debian package into a clean Debian 12 (bookworm) root and runs it there: what a user gets from
# `apt install ./peakwatch_<version>_amd64.deb` on a machine that has never built Peakwatch.
#
# 1. a fresh root from a debootstrap --variant=minbase of bookworm (made once and kept as a tarball in the cache
#    directory; each run starts from a new extract of it);
# 2. apt-get install --no-install-recommends ./peakwatch_*.deb inside, with Depends taken from Debian's mirror (the
#    .debs this machine's apt cache already holds are copied in first, where they are the ones apt asks for);
# 3. as a plain user: peakwatch-cli demo --duration 5 (its own embedded Kafka on loopback) exits 0 and reports
#    events and products, QT_QPA_PLATFORM=offscreen peakwatch --version answers, the plugins Qt loads at run time
#    find every library they need, and man finds the pages.
#
# Usage: install-test.sh PACKAGE.deb | BUILD_DIR   (a build directory: cpack -G DEB there, into a temporary one)
# Needs root (debootstrap, chroot, mount): run as a user, it asks sudo, and without sudo it skips (exit 77).
# Environment: PEAKWATCH_DEBIAN_MIRROR (default http://deb.debian.org/debian), PEAKWATCH_DEBIAN_SECURITY
# (default http://deb.debian.org/debian-security), PEAKWATCH_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/peakwatch;
# delete bookworm-minbase.tar there to debootstrap again).
set -uo pipefail
started=$(date +%s)
mirror=${PEAKWATCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${PEAKWATCH_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
host_cache=/var/cache/apt/archives
failures=0

check() # CONDITION_STATUS WHAT
{
    if [ "$1" -eq 0 ]; then
        echo "ok: $2"
    else
        echo "FAIL: $2"
        failures=$((failures + 1))
    fi
}

since() { echo "$(($(date +%s) - $1)) s"; }

if [ $# -ne 1 ]; then
    echo "Usage: $0 PACKAGE.deb | BUILD_DIR" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/peakwatch-install-test.XXXXXX")
chmod 755 "$work"
root=$work/root
mounted=()

cleanup()
{
    # Processes left inside the root (none should be), then the mounts in reverse order, then the files: never
    # removed while anything is still mounted below the root, which would reach the host's /dev.
    if [ -d "$root" ]; then
        for proc in /proc/[0-9]*; do
            [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && kill -KILL "${proc#/proc/}" 2>/dev/null
        done
    fi
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount "${mounted[i]}" 2>/dev/null || umount --lazy "${mounted[i]}" ||
            echo "FAIL: could not unmount ${mounted[i]}"
    done
    if grep -q " $root/" /proc/self/mounts 2>/dev/null; then
        echo "FAIL: something is still mounted below $root; left in place"
    else
        rm -rf --one-file-system "$work"
    fi
}
trap cleanup EXIT

finish()
{
    local step
    step=$(date +%s)
    cleanup
    trap - EXIT
    echo "cleaned up ($(since "$step"))"
    echo "$failures failed, $(since "$started") in all"
    exit $((failures > 0 ? 1 : 0))
}
trap 'exit 130' INT TERM

# The package: given, or made by cpack from a build directory (as the invoking user, so that the build directory
# gets no file owned by root).
if [ -d "$1" ]; then
    step=$(date +%s)
    made=$(cd "$1" && cpack -G DEB -B "$work/package" 2>&1)
    status=$?
    debs=("$work"/package/*.deb)
    [ $status -eq 0 ] && [ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ]
    check $? "cpack -G DEB makes one package ($(since "$step"))"
    [ "$failures" -eq 0 ] || { echo "$made" | tail -20; finish; }
    deb=${debs[0]}
else
    deb=$(realpath "$1")
fi
echo "package: $(basename "$deb"), $(($(stat -c %s "$deb") / 1024)) KiB"

cache=${PEAKWATCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/peakwatch}
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && { [ -t 0 ] || sudo -n true 2>/dev/null; }; then
        echo "needs root for debootstrap, chroot and mount: asking sudo"
        mkdir -p "$cache" # the user's, so that the user may delete what root keeps there
        cp "$deb" "$work/"
        sudo PEAKWATCH_CACHE_DIR="$cache" PEAKWATCH_DEBIAN_MIRROR="$mirror" PEAKWATCH_DEBIAN_SECURITY="$security" \
            bash "$(realpath "$0")" "$work/$(basename "$deb")"
        exit
    fi
    echo "skipped: needs root (debootstrap, chroot, mount) and sudo cannot ask here"
    exit 77
fi
for tool in debootstrap chroot mount tar flock; do
    command -v $tool >/dev/null
    check $? "$tool is installed$(command -v $tool >/dev/null || echo ': scripts/install-deps.sh installs it')"
done
[ "$failures" -eq 0 ] || finish

# Hard links where the host's apt cache is on the same file system, else copies.
copy_from_host_cache() # DESTINATION_DIR FILE...
{
    local destination=$1 copied=0 name
    shift
    for name in "$@"; do
        [ -f "$host_cache/$name" ] || continue
        cp --link "$host_cache/$name" "$destination/" 2>/dev/null || cp "$host_cache/$name" "$destination/" || continue
        copied=$((copied + 1))
    done
    echo "$copied"
}

# The base root, debootstrapped once and kept. A lock, for two runs at once.
base=$cache/bookworm-minbase.tar
mkdir -p "$cache"
exec 9>"$cache/bookworm-minbase.lock"
flock 9
if [ ! -f "$base" ]; then
    step=$(date +%s)
    bootstrap=$work/bootstrap
    mkdir -p "$bootstrap/var/cache/apt/archives"
    # debootstrap takes a .deb already in the target's apt cache when its checksum is the mirror's. Hard links
    # cost nothing; where the host's cache is on another file system, everything is downloaded.
    if [ -d "$host_cache" ] && cp --link "$host_cache"/*.deb "$bootstrap/var/cache/apt/archives/" 2>/dev/null; then
        echo "debootstrap may reuse $(ls "$host_cache"/*.deb | wc -l) .debs of $host_cache"
    fi
    # man-db only for the check that man finds the pages.
    debootstrap --variant=minbase --include=man-db bookworm "$bootstrap" "$mirror" >"$work/debootstrap.log" 2>&1
    status=$?
    check $status "debootstrap --variant=minbase bookworm from $mirror ($(since "$step"))"
    if [ $status -ne 0 ]; then
        tail -20 "$work/debootstrap.log"
        finish
    fi
    rm -f "$bootstrap"/var/cache/apt/archives/*.deb
    ! grep -q " $bootstrap/" /proc/self/mounts && tar --numeric-owner -cpf "$base.part" -C "$bootstrap" . &&
        mv "$base.part" "$base"
    check $? "the base root is kept as $base ($(du -m "$base" 2>/dev/null | cut -f1) MB)"
    rm -rf --one-file-system "$bootstrap"
else
    echo "base root: $base, of $(date -r "$base" '+%Y-%m-%d %H:%M')"
fi
flock -u 9
exec 9>&-

step=$(date +%s)
mkdir "$root" && tar --numeric-owner -xpf "$base" -C "$root"
check $? "a fresh root extracted from the base ($(since "$step"))"
[ "$failures" -eq 0 ] || finish

# Debian as a user's machine has it, and no daemon started by a maintainer script (dbus) outlives the test.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

mount_in_root() # TARGET MOUNT_ARGUMENT...
{
    local target=$root$1
    shift
    mount "$@" "$target" && mounted+=("$target")
}
mount_in_root /proc -t proc proc &&
    mount_in_root /sys -t sysfs -o ro,nosuid,nodev,noexec sysfs &&
    mount_in_root /dev --bind /dev &&
    mount_in_root /dev/pts --bind /dev/pts
check $? "/proc, /sys, /dev and /dev/pts mounted in the root"
[ "$failures" -eq 0 ] || finish

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

step=$(date +%s)
in_root apt-get update -q >"$work/update.log" 2>&1
status=$?
check $status "apt-get update ($(since "$step"))"
[ $status -eq 0 ] || { tail -20 "$work/update.log"; finish; }

package=$(basename "$deb")
cp "$deb" "$root/tmp/$package" && chmod 644 "$root/tmp/$package"
# The .debs apt would download: those the host has are copied in, and apt checks their hashes all the same.
mapfile -t wanted < <(in_root sh -c "cd /tmp && apt-get install -q --no-install-recommends --print-uris ./$package" |
    sed -n "s/^'[^']*' \([^ ]*\.deb\) .*/\1/p")
copied=$(copy_from_host_cache "$root/var/cache/apt/archives" "${wanted[@]}")
echo "apt wants ${#wanted[@]} packages from the mirror; $copied of them come from $host_cache"

step=$(date +%s)
in_root sh -c "cd /tmp && apt-get install -y -q --no-install-recommends ./$package" >"$work/install.log" 2>&1
status=$?
check $status "apt-get install ./$package, Depends from the mirror ($(since "$step"))"
[ $status -eq 0 ] || { tail -30 "$work/install.log"; finish; }
grep -E '^(Setting up|Unpacking) peakwatch' "$work/install.log" | sed 's/^/    /'

installed=$(in_root dpkg-query -W -f='${Status} ${Version}' peakwatch)
[[ $installed == "install ok installed "* ]]
check $? "dpkg has peakwatch installed: ${installed##* }"

# A plain user, as the programs are meant to run, with the runtime directory a login gives.
in_root useradd --create-home --shell /bin/bash tester
uid=$(in_root id -u tester)
ids=$uid:$(in_root id -g tester)
in_root install -d -m 700 -o tester -g tester "/run/user/$uid"
as_user()
{
    chroot --userspec="$ids" "$root" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/tester \
        USER=tester LOGNAME=tester LANG=C.UTF-8 TMPDIR=/tmp XDG_RUNTIME_DIR="/run/user/$uid" "$@"
}

step=$(date +%s)
demo=$(cd / && as_user timeout 120 peakwatch-cli demo --duration 5 2>&1)
status=$?
echo "$demo" | grep -E 'Embedded Kafka|events \(' | sed 's/^/    /'
[ $status -eq 0 ] && echo "$demo" | grep -qE '\| [1-9][0-9]* events \(.*\| [1-9][0-9]* products:'
check $? "peakwatch-cli demo --duration 5 exits 0 and reports events and products ($(since "$step"))"
[ $status -eq 0 ] || { echo "    exit status $status"; echo "$demo" | tail -20; }

version=$(as_user env QT_QPA_PLATFORM=offscreen timeout 60 peakwatch --version 2>"$work/version.err")
status=$?
[ $status -eq 0 ] && [[ $version == "peakwatch "* ]]
check $? "QT_QPA_PLATFORM=offscreen peakwatch --version: $version"
[ ! -s "$work/version.err" ] || sed 's/^/    /' "$work/version.err"

# What Qt loads at run time, not at link time: the window's platforms, the outbox's SQLite driver, the SVG icon.
for plugin in platforms/libqxcb.so platforms/libqoffscreen.so sqldrivers/libqsqlite.so iconengines/libqsvgicon.so \
    imageformats/libqsvg.so; do
    path=$(in_root sh -c "ls /usr/lib/*/qt6/plugins/$plugin 2>/dev/null")
    missing=$([ -n "$path" ] && in_root ldd "$path" | grep 'not found')
    [ -n "$path" ] && [ -z "$missing" ]
    check $? "the plugin $plugin is installed and finds its libraries"
    [ -n "$path" ] || echo "    no $plugin in /usr/lib/*/qt6/plugins"
    [ -z "$missing" ] || echo "$missing" | sed 's/^/    /'
done

for page in peakwatch peakwatch-cli peakwatch-cli-demo; do
    found=$(as_user man -w "$page" 2>&1)
    check $? "man -w $page: $found"
done

finish
