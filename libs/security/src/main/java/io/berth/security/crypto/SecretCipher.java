package io.berth.security.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for storage in PostgreSQL: AES-256-GCM under the SHA-256 of a configured secret
 * (meant to be long and random, so no slow derivation), the output being the 12-byte nonce
 * followed by ciphertext and tag. auth seals its signing keys with it (no associated data),
 * scanner-bridge its adapters' secrets (the scanner's name as associated data), the replicator
 * its endpoints' passwords (the endpoint's name); the format is the one auth's former
 * {@code KeyCipher} wrote, so keys stored before are read as they are.
 *
 * <p>Associated data binds a sealed value to its row (a name, an id): copied to another row it
 * does not open. A changed byte, other associated data or another secret fails to open instead of
 * yielding a wrong value. Instances are immutable and thread-safe.
 */
public final class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String setting;

    /**
     * @param secret the configured secret, at least 16 characters
     * @param setting the configuration key it comes from, named in error messages
     * @throws IllegalArgumentException if {@code secret} is missing or shorter than 16 characters
     */
    public SecretCipher(String secret, String setting) {
        this.setting = setting;
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException(setting + " must have at least 16 characters");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            this.key = new SecretKeySpec(digest, "AES");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Seals {@code plain} bound to {@code associated} (may be null: none). */
    public byte[] seal(byte[] plain, byte[] associated) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            if (associated != null) {
                cipher.updateAAD(associated);
            }
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a secret", e);
        }
    }

    /** Seals a text (UTF-8) bound to a text (UTF-8). */
    public byte[] seal(String plain, String associated) {
        return seal(plain.getBytes(StandardCharsets.UTF_8), utf8(associated));
    }

    /**
     * Opens what {@link #seal} made with the same {@code associated}.
     *
     * @throws IllegalStateException if the bytes were changed, belong to other associated data, or
     *     were sealed under another secret
     */
    public byte[] open(byte[] sealed, byte[] associated) {
        if (sealed == null || sealed.length <= NONCE_BYTES) {
            throw new IllegalStateException("a stored secret is too short to be one");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            if (associated != null) {
                cipher.updateAAD(associated);
            }
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored secret cannot be decrypted: is " + setting
                    + " the one it was stored with?", e);
        }
    }

    /** Opens a text sealed by {@link #seal(String, String)}. */
    public String open(byte[] sealed, String associated) {
        return new String(open(sealed, utf8(associated)), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
