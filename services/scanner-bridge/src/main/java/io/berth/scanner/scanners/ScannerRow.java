package io.berth.scanner.scanners;

import io.berth.scanner.adapter.AuthKind;
import java.time.Instant;

/**
 * A row of {@code scanners}.
 *
 * @param sealedSecret the encrypted secret ({@link SecretCipher}), or null; never leaves this package as is
 */
public record ScannerRow(long id, String name, String kind, String url, AuthKind auth, byte[] sealedSecret,
        boolean insecure, boolean disabled, boolean isDefault, String description, Instant createdAt,
        Instant updatedAt) {

    public static final String BUILTIN = "builtin";
    public static final String ADAPTER = "adapter";

    public boolean builtin() {
        return BUILTIN.equals(kind);
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "ScannerRow[" + name + ", " + kind + ", " + url + ", auth=" + auth.wire() + "]";
    }
}
