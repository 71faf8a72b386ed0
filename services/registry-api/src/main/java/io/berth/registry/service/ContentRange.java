package io.berth.registry.service;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range: <start>-<end>} of a chunk (inclusive, as the spec writes it). The
 * {@code bytes } prefix and {@code /total} suffix of the HTTP form are tolerated, since some
 * clients send them.
 *
 * @param start the offset of the chunk's first byte
 * @param end the offset of its last byte
 */
public record ContentRange(long start, long end) {

    private static final Pattern FORM = Pattern.compile("^(?:bytes[ =])?(\\d{1,18})-(\\d{1,18})(?:/(?:\\d+|\\*))?$");

    /**
     * Parses the header; null for null.
     *
     * @throws RegistryException RANGE_INVALID if it is malformed or {@code end < start}
     */
    public static ContentRange parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        var m = FORM.matcher(header.trim());
        if (!m.matches()) {
            throw RegistryException.of(RegistryErrorCode.RANGE_INVALID,
                    Map.of("reason", "Content-Range must be <start>-<end>", "contentRange", header));
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        if (end < start) {
            throw RegistryException.of(RegistryErrorCode.RANGE_INVALID,
                    Map.of("reason", "Content-Range ends before it starts", "contentRange", header));
        }
        return new ContentRange(start, end);
    }

    /** The number of bytes the range covers. */
    public long length() {
        return end - start + 1;
    }
}
