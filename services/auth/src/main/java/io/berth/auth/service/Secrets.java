package io.berth.auth.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The secrets auth hands out (robot secrets, CLI secrets, refresh tokens): 32 random bytes,
 * base64url, shown once. Those a person or a script types are kept as bcrypt hashes; refresh
 * tokens, which are looked up by value, as SHA-256.
 */
final class Secrets {

    private static final int BCRYPT_COST = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    // Checked when there is no stored hash, so that an unknown account costs as long as a wrong secret.
    private static final String DUMMY_HASH = OpenBSDBCrypt.generate("2b", "not-a-secret".toCharArray(), new byte[16],
            BCRYPT_COST);

    private Secrets() {}

    /** A new secret: {@code prefix} and 32 random bytes in base64url. */
    static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The bcrypt hash to store for {@code secret}. */
    static String bcrypt(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", secret.toCharArray(), salt, BCRYPT_COST);
    }

    /**
     * Whether {@code secret} matches the bcrypt hash {@code stored}; with no hash (null) the
     * answer is false, after as much work as a real check.
     */
    static boolean matches(String stored, String secret) {
        boolean match = OpenBSDBCrypt.checkPassword(stored == null ? DUMMY_HASH : stored,
                secret.getBytes(StandardCharsets.UTF_8));
        return stored != null && match;
    }

    /** SHA-256 of a high-entropy token, by which it is stored and found. */
    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
