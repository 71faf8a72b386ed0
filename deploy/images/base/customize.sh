#!/usr/bin/env bash
# The last step of the image base (run by images_base on mmdebstrap's result: the extract
# variant runs no customize hook): turns the extracted packages into berth's image base.
#   $1  the root filesystem
# The result holds the JRE and its libraries, no shell, no package manager, no documentation,
# a deterministic Java trust store, and the user berth (10001:10001). Every step depends only
# on the extracted files, so the same packages give the same bytes (ADR 0041).
set -euo pipefail
root=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# What a JRE in a container never reads: documentation, manual pages, translations, apt's and
# debconf's state (the image is never updated in place), and javac's symbol table.
rm -rf "$root"/usr/share/{doc,doc-base,man,info,locale,lintian,linda,bash-completion,gdb} \
  "$root"/etc/apt "$root"/var/lib/apt "$root"/var/cache/apt "$root"/var/cache/debconf \
  "$root"/var/log/apt "$root"/usr/lib/jvm/java-17-openjdk-amd64/lib/ct.sym \
  "$root"/usr/lib/x86_64-linux-gnu/gconv
# The class-data archive for heaps over 32 GiB (no compressed oops): the services' heaps are
# far smaller, and the default archive (classes.jsa) stays.
rm -f "$root"/usr/lib/jvm/java-17-openjdk-amd64/lib/server/classes_nocoops.jsa
# The container runtime writes these; the build machine's must not leak in.
rm -f "$root"/etc/hostname "$root"/etc/resolv.conf "$root"/etc/hosts "$root"/etc/machine-id
# Device nodes too: the runtime mounts /dev, and a layer with nodes cannot be unpacked rootless.
rm -rf "${root:?}"/dev/*
# Nothing in the image may gain privileges (util-linux ships a setuid su).
find "$root" -xdev -perm /6000 -type f -exec chmod ug-s {} +

# The user the services run as; its home is /tmp, the one writable place.
cat > "$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
berth:x:10001:10001:berth:/tmp:/usr/sbin/nologin
P
cat > "$root/etc/group" <<'G'
root:x:0:
nogroup:x:65534:
berth:x:10001:
G
# glibc's own defaults without this file look users up through "compat", a module the base
# does not have: the JVM would not find user 10001 (user.name "?", user.home unset).
cat > "$root/etc/nsswitch.conf" <<'N'
passwd: files
group: files
shadow: files
hosts: files dns
networks: files
protocols: files
services: files
N
mkdir -p "$root/tmp" "$root/root"
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"

# The trust store: every Mozilla CA that ca-certificates ships, for the JRE (cacerts, written
# deterministically, see TrustStore.java) and as one PEM bundle for anything else.
mozilla=$root/usr/share/ca-certificates/mozilla
mkdir -p "$root/etc/ssl/certs/java"
rm -f "$root/etc/ssl/certs/java/cacerts"
java "$here/TrustStore.java" "$mozilla" "$root/etc/ssl/certs/java/cacerts" > /dev/null
chmod 0644 "$root/etc/ssl/certs/java/cacerts"
(cd "$mozilla" && LC_ALL=C ls -- *.crt | while read -r f; do cat "$f"; done) > "$root/etc/ssl/certs/ca-certificates.crt"

# The JRE must start in the result, without a shell, as the image's entrypoint starts it. The
# dynamic loader resolves the JRE's $ORIGIN through /proc: a proc mount in a mount namespace of
# its own, gone with the check.
unshare --mount --fork /bin/sh -c 'mount -t proc proc "$1/proc" && chroot "$1" "$2" -version' _ \
  "$root" /usr/lib/jvm/java-17-openjdk-amd64/bin/java > /dev/null 2>&1 ||
  { echo "the JRE does not start in the base" >&2; exit 1; }
