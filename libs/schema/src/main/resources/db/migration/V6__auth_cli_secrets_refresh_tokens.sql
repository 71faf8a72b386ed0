-- CLI secrets and refresh tokens (issue #4).
--
-- A CLI secret is what a single-sign-on user gives `docker login` instead of a password: one per
-- user, shown once, kept only as a bcrypt hash. Unlike Harbor's it does not end with a browser
-- session; it lasts until its user rotates or revokes it.
CREATE TABLE cli_secrets (
    -- Keycloak's username (preferred_username), which Keycloak keeps in lower case.
    username     text        PRIMARY KEY,
    secret_hash  text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz
);
COMMENT ON TABLE cli_secrets IS 'owner: auth';

-- Refresh tokens of the Docker token specification (offline_token=true, grant_type=refresh_token):
-- docker keeps one in place of the password. Only the SHA-256 of the token is stored; the token
-- is 32 random bytes, so a plain hash is enough. Who the account is, and what it may do, is
-- read again at every use: a disabled user or robot gets nothing from its refresh token.
CREATE TABLE refresh_tokens (
    token_hash   bytea       PRIMARY KEY,
    -- A Keycloak username or a robot's full name.
    account      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX refresh_tokens_by_account ON refresh_tokens (account);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);
COMMENT ON TABLE refresh_tokens IS 'owner: auth';
