#!/bin/bash
# A self-signed certificate for the gateway's HTTPS port, for a first install or a test: a real
# install puts its CA's pair in the same two files (tls.crt with the chain, tls.key). Writes
# deploy/compose/tls/ (BERTH_TLS_DIR in .env), which docker-compose.yml mounts read-only.
#
#   deploy/compose/make-tls.sh registry.example.com [more names or IP addresses...]
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: $0 HOST_NAME_OR_IP... (the names clients use in BERTH_PUBLIC_URL)" >&2; exit 2; }
dir=${BERTH_TLS_DIR:-$(cd "$(dirname "$0")" && pwd)/tls}
mkdir -p "$dir"
san=
for name in "$@"; do
  if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then san+=",IP:$name"; else san+=",DNS:$name"; fi
done
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
  -subj "/CN=$1" -addext "subjectAltName=${san#,}" -addext "extendedKeyUsage=serverAuth" \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
chmod 644 "$dir/tls.crt"
# The gateway runs as uid 10001 and must read the key; nobody else should.
if [[ $(id -u) == 0 ]]; then
  chown 10001:10001 "$dir/tls.key"
else
  echo "run: sudo chown 10001:10001 $dir/tls.key   (the gateway runs as uid 10001)" >&2
fi
echo "wrote $dir/tls.crt and tls.key for: $*"
echo "clients trust it with: sudo mkdir -p /etc/docker/certs.d/$1:5443 && sudo cp $dir/tls.crt /etc/docker/certs.d/$1:5443/ca.crt"
