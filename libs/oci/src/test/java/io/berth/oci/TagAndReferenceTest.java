package io.berth.oci;

import static io.berth.oci.Assertions2.assertRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagAndReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1.2.3", "1.0", "_private", "A", "Release-2024_01.rc-1", "x"})
    void acceptsValidTags(String s) {
        Tag t = Tag.parse(s);
        assertEquals(s, t.value());
        assertEquals(s, t.toString());
        assertFalse(t.isDigest());
    }

    @Test
    void tagLengthLimitIs128() {
        String max = "t".repeat(128);
        assertEquals(max, Tag.parse(max).value());
        assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> Tag.parse(max + "t"));
        assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> Tag.parse("t".repeat(100_000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".hidden", "-flag", "a/b", "a:b", "a b", "a+b", "a@b", "tag\n", "é"})
    void rejectsInvalidTagsAsNameInvalid(String s) {
        RegistryException e = assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> Tag.parse(s));
        assertTrue(e.detail().toString().startsWith("invalid tag"), e.detail().toString());
    }

    @Test
    void rejectsNullTag() {
        assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> Tag.parse(null));
    }

    @Test
    void referenceWithColonIsADigest() {
        Reference r = Reference.parse(DigestTest.EMPTY_SHA256);
        Digest d = assertInstanceOf(Digest.class, r);
        assertTrue(r.isDigest());
        assertEquals(DigestAlgorithm.SHA256, d.algorithm());
        assertEquals(DigestTest.EMPTY_SHA256, r.toString());
    }

    @Test
    void referenceWithoutColonIsATag() {
        Reference r = Reference.parse("v1.0");
        assertEquals(new Tag("v1.0"), assertInstanceOf(Tag.class, r));
        assertFalse(r.isDigest());
        assertEquals("v1.0", r.toString());
    }

    @Test
    void invalidReferencesFailWithTheMatchingCode() {
        assertRegistryError(RegistryErrorCode.DIGEST_INVALID, () -> Reference.parse("sha256:abc"));
        assertRegistryError(RegistryErrorCode.DIGEST_INVALID, () -> Reference.parse("md5:d41d8cd98f00b204e9800998ecf8427e"));
        assertRegistryError(RegistryErrorCode.DIGEST_INVALID, () -> Reference.parse("latest:"));
        assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> Reference.parse("-latest"));
        assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> Reference.parse(""));
        assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> Reference.parse(null));
    }
}
