#!/usr/bin/env bash
# mmdebstrap --extract-hook: the extract variant unpacks packages without installing them, so
# dpkg's status database is empty. Scanners (berth's own, Trivy, Syft) and the SBOM read it to
# know what the image holds: write one "installed" record per extracted package, sorted by name,
# from the control fields of the .deb files that are still in apt's cache at this point.
set -euo pipefail
root=$1
status=$root/var/lib/dpkg/status
: > "$status"
for deb in $(printf '%s\n' "$root"/var/cache/apt/archives/*.deb | LC_ALL=C sort); do
  dpkg-deb -f "$deb" | awk 'NR == 1 { print; print "Status: install ok installed"; next } { print }' >> "$status"
  echo >> "$status"
done
grep -q '^Package: openjdk-17-jre-headless$' "$status" || { echo "no JRE among the extracted packages" >&2; exit 1; }
