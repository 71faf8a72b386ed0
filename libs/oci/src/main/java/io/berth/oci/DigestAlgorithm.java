package io.berth.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The digest algorithms berth accepts: the two the OCI image-spec registers. Each knows its
 * identifier in a digest string ({@code sha256}), its JDK {@link MessageDigest} name and the
 * length of its lowercase-hex encoding.
 */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String identifier;
    private final String jdkName;
    private final int hexLength;

    DigestAlgorithm(String identifier, String jdkName, int hexLength) {
        this.identifier = identifier;
        this.jdkName = jdkName;
        this.hexLength = hexLength;
    }

    /** The algorithm identifier before the ':' of a digest, e.g. {@code sha256}. */
    public String identifier() {
        return identifier;
    }

    /** The JDK {@link MessageDigest} algorithm name, e.g. {@code SHA-256}. */
    public String jdkName() {
        return jdkName;
    }

    /** The exact number of lowercase hex characters of an encoded digest. */
    public int hexLength() {
        return hexLength;
    }

    /** The number of bytes of a raw digest. */
    public int byteLength() {
        return hexLength / 2;
    }

    /**
     * A fresh, unshared {@link MessageDigest} for this algorithm.
     *
     * @throws IllegalStateException never in practice: every Java platform must provide
     *     SHA-256 and SHA-512
     */
    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks required digest " + jdkName, e);
        }
    }

    /**
     * The algorithm with this identifier (exact, lowercase match); empty for {@code null} or
     * any identifier berth does not support, such as {@code md5} or {@code sha384}.
     */
    public static Optional<DigestAlgorithm> fromIdentifier(String identifier) {
        for (DigestAlgorithm a : values()) {
            if (a.identifier.equals(identifier)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return identifier;
    }
}
