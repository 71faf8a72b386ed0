-- The roles and databases of berth and Keycloak. docker-compose.yml mounts this file into the
-- postgres image's /docker-entrypoint-initdb.d, which runs it once, on the first start with an
-- empty volume, as the superuser. The passwords come from the container's environment (.env),
-- read with psql's \getenv (psql 15 and later), so that no secret is written here.
-- Changing a password later is ALTER ROLE ... PASSWORD by hand (docs/compose.md).
\set ON_ERROR_STOP on
\getenv berth_user QUARKUS_DATASOURCE_USERNAME
\getenv berth_password QUARKUS_DATASOURCE_PASSWORD
\getenv keycloak_password KEYCLOAK_DB_PASSWORD

-- berth's services share one schema; Flyway migrates it at each service's start (ADR 0005),
-- so the role owns its database and nothing else.
CREATE ROLE :"berth_user" LOGIN PASSWORD :'berth_password';
CREATE DATABASE berth OWNER :"berth_user";

CREATE ROLE keycloak LOGIN PASSWORD :'keycloak_password';
CREATE DATABASE keycloak OWNER keycloak;

-- Nobody but the owners connects to these two databases.
REVOKE ALL ON DATABASE berth FROM PUBLIC;
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;
