-- A new signing key is published in the JWKS before it signs (docs/adr/0013): a rotation
-- stores the next key with signs_from in the future and retires the current key at that same
-- moment, so every verifier that fetches the JWKS meanwhile already holds the new key when the
-- first token it signs arrives. The key that signs at time t is the one with
-- signs_from <= t < retired_at (or retired_at IS NULL).
ALTER TABLE signing_keys ADD COLUMN signs_from timestamptz;
UPDATE signing_keys SET signs_from = created_at;
ALTER TABLE signing_keys ALTER COLUMN signs_from SET NOT NULL, ALTER COLUMN signs_from SET DEFAULT now();
