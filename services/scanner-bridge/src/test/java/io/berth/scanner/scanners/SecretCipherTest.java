package io.berth.scanner.scanners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    final SecretCipher cipher = new SecretCipher("a-long-random-test-secret");

    @Test
    void roundTripsAndNeverHoldsThePlaintext() {
        byte[] sealed = cipher.encrypt("trivy", "harbor:s3cret-password");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("s3cret"));
        assertEquals("harbor:s3cret-password", cipher.decrypt("trivy", sealed));
        assertFalse(java.util.Arrays.equals(sealed, cipher.encrypt("trivy", "harbor:s3cret-password")), "a fresh nonce");
    }

    @Test
    void anotherKeyAnotherScannerOrAChangedByteDoNotOpen() {
        byte[] sealed = cipher.encrypt("trivy", "token");
        assertThrows(IllegalStateException.class, () -> new SecretCipher("another-long-secret!").decrypt("trivy", sealed));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt("clair", sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt("trivy", sealed));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher("short"));
    }
}
