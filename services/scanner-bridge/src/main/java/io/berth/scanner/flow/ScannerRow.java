package io.berth.scanner.flow;

/**
 * A row of {@code scanners}: the built-in scanner or a registered adapter.
 *
 * @param kind {@code builtin} or {@code adapter}
 * @param url an adapter's base URL; null for the built-in scanner
 * @param authKind {@code none}, {@code basic}, {@code bearer} or {@code api-key}
 * @param authSecret the encrypted secret, or null
 */
public record ScannerRow(long id, String name, String kind, String url, String authKind, byte[] authSecret,
        boolean insecure, boolean disabled) {

    public static final String BUILTIN = "builtin";
    public static final String ADAPTER = "adapter";
}
