#!/bin/bash
# Writes .env beside docker-compose.yml: the public URL you give, and a random value for every
# secret (openssl rand), so that no install starts with a known password. It never overwrites
# an existing .env (a lost secret locks you out of data made with it: see docs/compose.md).
#
#   deploy/compose/make-env.sh https://registry.example.com:5443 [path/to/.env]
set -euo pipefail

usage() { echo "usage: $0 PUBLIC_URL [ENV_FILE]   (PUBLIC_URL: how clients reach the gateway, e.g. https://registry.example.com:5443)" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
public_url=${1%/}
[[ $public_url =~ ^https?://[^/]+$ ]] || { echo "PUBLIC_URL must be scheme://host[:port], without a path: $1" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
env_file=${2:-$root/.env}
[[ -e $env_file ]] && { echo "$env_file exists; not overwriting it (move it away first)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "openssl is needed (apt-get install openssl)" >&2; exit 1; }

# Hex: no character that .env, a URL or a shell would treat specially.
secret() { openssl rand -hex "${1:-24}"; }
# Kafka's cluster id: 16 random bytes, URL-safe base64 without padding (22 characters).
cluster_id=$(openssl rand -base64 16 | tr '+/' '-_' | tr -d '=\n')

umask 077
sed -e "s|^BERTH_PUBLIC_URL=.*|BERTH_PUBLIC_URL=$public_url|" \
    -e "s|^KAFKA_CLUSTER_ID=.*|KAFKA_CLUSTER_ID=$cluster_id|" \
    "$root/.env.example" |
  while IFS= read -r line; do
    # Every secret the example leaves empty gets its own random value; the one optional key stays
    # empty (the built-in scanner's Pluggable Scanner API stays closed until it is set).
    if [[ $line =~ ^[A-Z_]+=$ && $line != BERTH_SCANNER_PLUGGABLE_API_KEY= ]]; then
      key=${line%%=*}
      if [[ $key == BERTH_STORAGE_ACCESS_KEY ]]; then echo "$key=berth-$(secret 6)"; else echo "$key=$(secret)"; fi
    else
      printf '%s\n' "$line"
    fi
  done > "$env_file"
if grep -v '^BERTH_SCANNER_PLUGGABLE_API_KEY=' "$env_file" | grep -qE '^[A-Z_]+=$'; then
  rm -f "$env_file"; echo "a secret was left empty; nothing written" >&2; exit 1
fi
echo "wrote $env_file (mode 600); keep a copy of it with your backups"
