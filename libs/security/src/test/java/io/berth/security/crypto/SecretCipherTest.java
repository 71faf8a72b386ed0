package io.berth.security.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String SECRET = "a-long-random-test-secret";
    private final SecretCipher cipher = new SecretCipher(SECRET, "berth.test.secret");

    @Test
    void opensWhatItSealedAndHidesThePlainText() {
        byte[] sealed = cipher.seal("hunter2-password", "endpoint-a");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("hunter2"));
        assertEquals(12 + "hunter2-password".length() + 16, sealed.length);
        assertEquals("hunter2-password", cipher.open(sealed, "endpoint-a"));
        // A fresh nonce each time: the same text never seals to the same bytes.
        assertFalse(Arrays.equals(sealed, cipher.seal("hunter2-password", "endpoint-a")));
    }

    @Test
    void otherAssociatedDataAnotherSecretOrAChangedByteDoNotOpen() {
        byte[] sealed = cipher.seal("pw", "endpoint-a");
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, "endpoint-b"));
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, (String) null));
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> new SecretCipher("another-long-secret-x", "berth.test.secret").open(sealed, "endpoint-a"));
        assertTrue(other.getMessage().contains("berth.test.secret"), other.getMessage());
        byte[] changed = sealed.clone();
        changed[changed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.open(changed, "endpoint-a"));
        assertThrows(IllegalStateException.class, () -> cipher.open(new byte[12], "endpoint-a"));
    }

    @Test
    void aShortSecretIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SecretCipher("short", "berth.test.secret"));
        assertTrue(e.getMessage().contains("berth.test.secret"));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(null, "x"));
    }

    /** The stored format is the one auth's signing keys were stored in before this class (its former KeyCipher): nonce, then AES-GCM of SHA-256(secret), no AAD. */
    @Test
    void theFormatIsAuthsKeyFormat() throws Exception {
        byte[] plain = {1, 2, 3, 4, 5};
        byte[] sealed = cipher.seal(plain, null);
        SecretKeySpec key = new SecretKeySpec(MessageDigest.getInstance("SHA-256")
                .digest(SECRET.getBytes(StandardCharsets.UTF_8)), "AES");
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
        assertArrayEquals(plain, jdk.doFinal(sealed, 12, sealed.length - 12));
    }
}
