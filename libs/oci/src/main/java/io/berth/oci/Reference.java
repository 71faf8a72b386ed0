package io.berth.oci;

/**
 * The {@code <reference>} of {@code /v2/<name>/manifests/<reference>}: either a {@link Tag} or
 * a {@link Digest}. Sealed, so a caller handles exactly those two cases.
 */
public sealed interface Reference permits Tag, Digest {

    /**
     * Parses a reference: a string containing ':' is a digest (tags cannot contain one),
     * anything else a tag.
     *
     * @throws RegistryException DIGEST_INVALID if it contains ':' but is not a valid digest;
     *     NAME_INVALID (see {@link Tag}) if it is not a valid tag, including null or empty
     */
    static Reference parse(String s) {
        if (s != null && s.indexOf(':') >= 0) {
            return Digest.parse(s);
        }
        return Tag.parse(s);
    }

    /** Whether this reference is a {@link Digest}; otherwise it is a {@link Tag}. */
    boolean isDigest();

    /** The wire form: the tag itself, or {@code algorithm:hex}. */
    @Override
    String toString();
}
