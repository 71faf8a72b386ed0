package io.berth.oci;

/**
 * A tag, such as {@code latest} or {@code v1.2.3}: a mutable name for a manifest within a
 * repository. Valid tags match {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} (distribution-spec),
 * so at most 128 characters, never starting with '.' or '-', never containing ':' or '/'.
 *
 * <p>An invalid tag fails with a {@link RegistryException} carrying
 * {@link RegistryErrorCode#NAME_INVALID} and a detail beginning "invalid tag". The spec has no
 * {@code TAG_INVALID}; a tag is part of the name a client addresses, so berth reports it like an
 * invalid repository name rather than as a fault of the manifest body.
 *
 * @param value the tag; never null
 */
public record Tag(String value) implements Reference {

    /** The maximum length of a tag. */
    public static final int MAX_LENGTH = 128;

    /**
     * Validates the tag.
     *
     * @throws RegistryException NAME_INVALID if {@code value} is null or violates the grammar
     */
    public Tag {
        String problem = violation(value);
        if (problem != null) {
            throw RegistryException.of(RegistryErrorCode.NAME_INVALID, "invalid tag: " + problem);
        }
    }

    /**
     * Parses a tag.
     *
     * @throws RegistryException NAME_INVALID if {@code s} is null or violates the grammar
     */
    public static Tag parse(String s) {
        return new Tag(s);
    }

    @Override
    public boolean isDigest() {
        return false;
    }

    /** The tag itself. */
    @Override
    public String toString() {
        return value;
    }

    /** Null when {@code s} is a valid tag, else why not. */
    private static String violation(String s) {
        if (s == null || s.isEmpty()) {
            return "tag is empty";
        }
        if (s.length() > MAX_LENGTH) {
            return "tag " + Inputs.quote(s) + " is longer than " + MAX_LENGTH + " characters";
        }
        char first = s.charAt(0);
        if (!(Inputs.isAlnum(first) || first == '_')) {
            return "tag " + Inputs.quote(s) + " must start with a letter, digit or '_'";
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Inputs.isAlnum(c) || c == '_' || c == '.' || c == '-')) {
                return "tag " + Inputs.quote(s) + " has invalid character '" + c + "' at index " + i;
            }
        }
        return null;
    }
}
