package io.berth.oci;

import java.util.HexFormat;
import java.util.Objects;

/**
 * A content digest such as {@code sha256:e3b0c4...}: the address of a blob or manifest.
 *
 * <p>Only the algorithms the OCI image-spec registers are accepted ({@link DigestAlgorithm}),
 * and the encoded part must be lowercase hex of exactly the algorithm's length, so two equal
 * digests always have the same string and can be compared, hashed and stored as-is.
 *
 * <p>Every failure is a {@link RegistryException} with {@link RegistryErrorCode#DIGEST_INVALID}
 * and a detail naming the problem. That includes a well-formed digest with an algorithm berth
 * does not support ({@code md5:...}), as the distribution-spec asks of registries.
 *
 * @param algorithm the algorithm; never null
 * @param hex the encoded digest, lowercase hex of {@code algorithm.hexLength()} characters
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Reference {

    private static final HexFormat HEX = HexFormat.of();

    /**
     * Validates the encoded part against the algorithm.
     *
     * @throws NullPointerException if either component is null
     * @throws RegistryException DIGEST_INVALID if {@code hex} is not lowercase hex of the
     *     algorithm's exact length
     */
    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != algorithm.hexLength()) {
            throw invalid(algorithm + " digest must have " + algorithm.hexLength()
                    + " hex characters, got " + hex.length());
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw invalid(algorithm + " digest must be lowercase hex, found '" + c
                        + "' at index " + i);
            }
        }
    }

    /**
     * Parses {@code algorithm ":" encoded} as the OCI image-spec defines it.
     *
     * @throws RegistryException DIGEST_INVALID if {@code s} is null, empty or does not follow
     *     the grammar, if the algorithm is not sha256 or sha512, or if the encoded part is not
     *     lowercase hex of the right length
     */
    public static Digest parse(String s) {
        if (s == null || s.isEmpty()) {
            throw invalid("digest is empty");
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw invalid("digest " + Inputs.quote(s) + " has no ':' between algorithm and encoded part");
        }
        String algorithm = s.substring(0, colon);
        String encoded = s.substring(colon + 1);
        if (!isAlgorithmSyntax(algorithm) || !isEncodedSyntax(encoded)) {
            throw invalid("digest " + Inputs.quote(s) + " does not match algorithm \":\" encoded");
        }
        DigestAlgorithm known = DigestAlgorithm.fromIdentifier(algorithm).orElseThrow(() ->
                invalid("unsupported digest algorithm " + Inputs.quote(algorithm)
                        + "; supported: sha256, sha512"));
        return new Digest(known, encoded);
    }

    /**
     * The digest whose raw bytes are {@code digestBytes}, e.g. from {@link java.security.MessageDigest#digest()}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code digestBytes} does not have the algorithm's
     *     byte length (a programming error, not a client's)
     */
    public static Digest of(DigestAlgorithm algorithm, byte[] digestBytes) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(digestBytes, "digestBytes");
        if (digestBytes.length != algorithm.byteLength()) {
            throw new IllegalArgumentException(algorithm + " digest has " + algorithm.byteLength()
                    + " bytes, got " + digestBytes.length);
        }
        return new Digest(algorithm, HEX.formatHex(digestBytes));
    }

    /**
     * Digests {@code content} in full with {@code algorithm}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Digest compute(DigestAlgorithm algorithm, byte[] content) {
        Objects.requireNonNull(content, "content");
        return of(algorithm, algorithm.newMessageDigest().digest(content));
    }

    /**
     * The SHA-256 digest of {@code content}, the algorithm every client uses by default.
     *
     * @throws NullPointerException if {@code content} is null
     */
    public static Digest sha256(byte[] content) {
        return compute(DigestAlgorithm.SHA256, content);
    }

    @Override
    public boolean isDigest() {
        return true;
    }

    /** The wire form, e.g. {@code sha256:e3b0c4...}. */
    @Override
    public String toString() {
        return algorithm.identifier() + ":" + hex;
    }

    // algorithm ::= algorithm-component (algorithm-separator algorithm-component)*
    // algorithm-component ::= [a-z0-9]+ ; algorithm-separator ::= [+._-]
    private static boolean isAlgorithmSyntax(String a) {
        boolean afterComponentChar = false;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (Inputs.isLowerAlnum(c)) {
                afterComponentChar = true;
            } else if ((c == '+' || c == '.' || c == '_' || c == '-') && afterComponentChar) {
                afterComponentChar = false;
            } else {
                return false;
            }
        }
        return afterComponentChar;
    }

    // encoded ::= [a-zA-Z0-9=_-]+
    private static boolean isEncodedSyntax(String e) {
        if (e.isEmpty()) {
            return false;
        }
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (!(Inputs.isAlnum(c) || c == '=' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static RegistryException invalid(String detail) {
        return RegistryException.of(RegistryErrorCode.DIGEST_INVALID, detail);
    }
}
