package io.berth.auth.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyCipherTest {

    private static final byte[] PLAIN = "a PKCS#8 private key, or anything".getBytes(StandardCharsets.UTF_8);

    @Test
    void whatIsSealedOpensWithTheSameSecretOnly() {
        var cipher = new KeyCipher("sixteen-or-more-characters");
        byte[] sealed = cipher.encrypt(PLAIN);

        assertArrayEquals(PLAIN, cipher.decrypt(sealed));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("PKCS#8"), "the key is stored in the clear");
        assertThrows(IllegalStateException.class, () -> new KeyCipher("another-secret-of-length").decrypt(sealed));
    }

    @Test
    void aChangedByteIsRefusedNotMisread() {
        var cipher = new KeyCipher("sixteen-or-more-characters");
        byte[] sealed = cipher.encrypt(PLAIN);
        byte[] changed = Arrays.copyOf(sealed, sealed.length);
        changed[changed.length / 2] ^= 1;

        assertThrows(IllegalStateException.class, () -> cipher.decrypt(changed));
    }

    @Test
    void twoSealsOfTheSameKeyDiffer() {
        var cipher = new KeyCipher("sixteen-or-more-characters");
        assertFalse(Arrays.equals(cipher.encrypt(PLAIN), cipher.encrypt(PLAIN)), "the nonce must be fresh each time");
    }

    @Test
    void aShortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeyCipher("short"));
    }
}
