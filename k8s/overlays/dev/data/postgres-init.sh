#!/bin/bash
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d):
# berth's role and database, and Keycloak's. The passwords come from the Secrets.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v berth_user="$BERTH_DB_USERNAME" -v berth_password="$BERTH_DB_PASSWORD" \
  -v keycloak_password="$KEYCLOAK_DB_PASSWORD" <<'SQL'
CREATE ROLE :"berth_user" LOGIN PASSWORD :'berth_password';
CREATE DATABASE berth OWNER :"berth_user";
CREATE ROLE keycloak LOGIN PASSWORD :'keycloak_password';
CREATE DATABASE keycloak OWNER keycloak;
SQL
