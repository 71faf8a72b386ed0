-- The keys auth signs registry tokens with (issue #4, docs/adr/0013-token-signing-keys.md).
-- One key signs at a time (retired_at IS NULL); a retired key stays in the JWKS until
-- publish_until, when the last token it signed has expired. The private key is PKCS#8,
-- encrypted with AES-256-GCM under berth.auth.keys.secret: 12-byte nonce, then ciphertext
-- and tag. The public key is X.509 SubjectPublicKeyInfo.
CREATE TABLE signing_keys (
    kid           text        PRIMARY KEY,
    public_key    bytea       NOT NULL,
    private_key   bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    retired_at    timestamptz,
    publish_until timestamptz,
    CHECK ((retired_at IS NULL) = (publish_until IS NULL))
);
-- At most one key signs.
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((true)) WHERE retired_at IS NULL;
COMMENT ON TABLE signing_keys IS 'owner: auth';
