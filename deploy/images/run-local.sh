#!/usr/bin/env bash
# Runs one service's image with podman beside the local stack (./berth up), as a container
# deployment runs it: its settings from k8s/base/config/<service>.env, secrets from the
# environment, a read-only root filesystem with a tmpfs at /tmp, user 10001, a memory limit.
# Host networking, so the env file's host names (postgres:5432, auth:8080, ...) are rewritten to
# the local stack's 127.0.0.1 ports; the container listens on PORT (the gateway also on PORT+1
# for HTTPS and PORT+2 for management). Runs in the foreground until it gets SIGTERM: the
# caller starts it in the background and stops it by PID (podman passes the signal on, --rm
# removes the container).
#
#   deploy/images/run-local.sh <service> <image> <port> [podman option...]
#   e.g. deploy/images/run-local.sh registry-api 127.0.0.1:5000/berth/registry-api:0.1.0 8096 --root /tmp/p
#
#   IMAGES_MEMORY  the container's memory limit (default 1g)
#   PODMAN_OPTS    global podman options (default: --storage-driver vfs)
set -euo pipefail

BERTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../local/lib/common.sh
source "$BERTH_ROOT/deploy/local/lib/common.sh"
# shellcheck source=../local/lib/services.sh
source "$BERTH_ROOT/deploy/local/lib/services.sh"

(($# >= 3)) || die "usage: deploy/images/run-local.sh <service> <image> <port> [podman global option...]"
svc=$1 image=$2 port=$3
shift 3
require_packages podman runc
env_file=$(mktemp)
tls=$(mktemp -d)
trap 'rm -rf "$env_file" "$tls"' EXIT

# The env file with the local stack's addresses, then what a Secret or .env would add.
sed -e "s|postgres:5432|127.0.0.1:$PG_PORT|g" -e "s|kafka:9092|127.0.0.1:$KAFKA_PORT|g" \
  -e "s|minio:9000|127.0.0.1:$S3_PORT|g" -e "s|keycloak:8080|127.0.0.1:$KEYCLOAK_PORT|g" \
  -e "s|registry-api:8080|127.0.0.1:$REGISTRY_API_PORT|g" -e "s|auth:8080|127.0.0.1:$AUTH_PORT|g" \
  -e "s|replicator:8080|127.0.0.1:$REPLICATOR_PORT|g" -e "s|gc:8080|127.0.0.1:$GC_PORT|g" \
  -e "s|scanner-bridge:8080|127.0.0.1:$SCANNER_BRIDGE_PORT|g" \
  -e "s|^QUARKUS_HTTP_PORT=.*|QUARKUS_HTTP_PORT=$port|" -e "s|^QUARKUS_HTTP_SSL_PORT=.*|QUARKUS_HTTP_SSL_PORT=$((port + 1))|" \
  -e "s|^QUARKUS_MANAGEMENT_PORT=.*|QUARKUS_MANAGEMENT_PORT=$((port + 2))|" \
  "$BERTH_ROOT/k8s/base/config/$svc.env" > "$env_file"
cat >> "$env_file" <<EOF
QUARKUS_DATASOURCE_USERNAME=$PG_USER
QUARKUS_DATASOURCE_PASSWORD=$PG_PASSWORD
BERTH_STORAGE_ACCESS_KEY=$S3_ACCESS_KEY
BERTH_STORAGE_SECRET_KEY=$S3_SECRET_KEY
BERTH_AUTH_LOGINS_TRUSTED_PROXIES=127.0.0.1,::1
EOF
service_secrets "$svc" >> "$env_file" # the same secrets ./berth gives the service
if [[ $svc == gateway ]]; then
  gateway_tls
  printf '%s\n' "QUARKUS_HTTP_SSL_CERTIFICATE_FILES=/tls/tls.crt" "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES=/tls/tls.key" >> "$env_file"
fi
volumes=()
if [[ $svc == gateway ]]; then
  # The gateway's TLS pair as files, as a Secret volume gives them: readable by the user 10001.
  cp "$GATEWAY_TLS_DIR/tls.crt" "$GATEWAY_TLS_DIR/tls.key" "$tls/" && chmod 0755 "$tls" && chmod 0644 "$tls"/*
  volumes=(--volume "$tls:/tls:ro")
fi

# runc with cgroupfs: crun refuses this machine's hybrid cgroup hierarchy, and podman's default
# limits (1048576 files) are above what a process without CAP_SYS_RESOURCE may set: the
# container gets this shell's own hard limit on files and a modest one on processes.
# shellcheck disable=SC2086
podman ${PODMAN_OPTS:---storage-driver vfs} --runtime runc --cgroup-manager cgroupfs "$@" run --rm \
  --name "berth-image-$svc-$port" --network host --read-only --tmpfs /tmp:rw,mode=1777 \
  --user 10001:10001 --memory "${IMAGES_MEMORY:-1g}" \
  --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096 \
  --env-file "$env_file" "${volumes[@]}" "$image" &
pid=$!
# Pass SIGTERM on to podman (which passes it to the JVM), then wait for the container to go.
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; rm -rf "$env_file" "$tls"' TERM INT
wait "$pid"
