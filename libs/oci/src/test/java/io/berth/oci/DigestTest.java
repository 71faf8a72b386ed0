package io.berth.oci;

import static io.berth.oci.Assertions2.assertRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {

    static final String EMPTY_SHA256 =
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String ABC_SHA512 = "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    @Test
    void parsesSha256() {
        Digest d = Digest.parse(EMPTY_SHA256);
        assertEquals(DigestAlgorithm.SHA256, d.algorithm());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", d.hex());
        assertEquals(EMPTY_SHA256, d.toString());
        assertTrue(d.isDigest());
    }

    @Test
    void sha256OfEmptyContentIsTheWellKnownValue() {
        assertEquals(EMPTY_SHA256, Digest.sha256(new byte[0]).toString());
        assertEquals(Digest.parse(EMPTY_SHA256), Digest.sha256(new byte[0]));
    }

    @Test
    void sha256OfContent() {
        assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                Digest.sha256("hello".getBytes(StandardCharsets.US_ASCII)).toString());
    }

    @Test
    void sha512RoundTrip() {
        Digest computed = Digest.compute(DigestAlgorithm.SHA512, "abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals(ABC_SHA512, computed.toString());
        Digest parsed = Digest.parse(ABC_SHA512);
        assertEquals(DigestAlgorithm.SHA512, parsed.algorithm());
        assertEquals(computed, parsed);
        assertEquals(ABC_SHA512, parsed.toString());
    }

    @Test
    void ofRawBytesChecksLength() {
        byte[] raw = DigestAlgorithm.SHA256.newMessageDigest().digest(new byte[0]);
        assertEquals(EMPTY_SHA256, Digest.of(DigestAlgorithm.SHA256, raw).toString());
        assertThrows(IllegalArgumentException.class, () -> Digest.of(DigestAlgorithm.SHA512, raw));
        assertThrows(NullPointerException.class, () -> Digest.of(null, raw));
    }

    @Test
    void algorithmsKnowTheirShape() {
        assertEquals("sha256", DigestAlgorithm.SHA256.identifier());
        assertEquals("SHA-256", DigestAlgorithm.SHA256.jdkName());
        assertEquals(64, DigestAlgorithm.SHA256.hexLength());
        assertEquals(32, DigestAlgorithm.SHA256.byteLength());
        assertEquals("sha512", DigestAlgorithm.SHA512.identifier());
        assertEquals("SHA-512", DigestAlgorithm.SHA512.jdkName());
        assertEquals(128, DigestAlgorithm.SHA512.hexLength());
        assertEquals(64, DigestAlgorithm.SHA512.newMessageDigest().getDigestLength());
        assertTrue(DigestAlgorithm.fromIdentifier("SHA256").isEmpty());
        assertTrue(DigestAlgorithm.fromIdentifier("sha384").isEmpty());
    }

    @Test
    void messageDigestsAreFresh() {
        assertNotSame(DigestAlgorithm.SHA256.newMessageDigest(), DigestAlgorithm.SHA256.newMessageDigest());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "sha256",                                                                   // missing colon
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",          // missing colon
        "sha256:",                                                                  // empty encoded
        ":e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",         // empty algorithm
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",    // 63 chars
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555",  // 65 chars
        "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",   // upper-case hex
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g",   // not hex
        "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",   // upper algorithm
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 ",  // trailing blank
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855:x", // second colon
        "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",   // sha512, 64 chars
        "sha256+:abc", "sha256..b:abc", "-sha256:abc",                               // bad algorithm syntax
    })
    void rejectsInvalidDigests(String s) {
        assertRegistryError(RegistryErrorCode.DIGEST_INVALID, () -> Digest.parse(s));
    }

    @Test
    void rejectsNull() {
        assertRegistryError(RegistryErrorCode.DIGEST_INVALID, () -> Digest.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha384:38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
        "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
    })
    void unsupportedButWellFormedAlgorithmsAreDigestInvalidWithAReason(String s) {
        RegistryException e = assertRegistryError(RegistryErrorCode.DIGEST_INVALID, () -> Digest.parse(s));
        assertTrue(e.detail().toString().contains("unsupported digest algorithm"), e.detail().toString());
    }

    @Test
    void constructorValidatesToo() {
        assertRegistryError(RegistryErrorCode.DIGEST_INVALID, () -> new Digest(DigestAlgorithm.SHA256, "abc"));
        assertThrows(NullPointerException.class, () -> new Digest(DigestAlgorithm.SHA256, null));
    }

    @Test
    void hostileInputIsEchoedTruncated() {
        String hostile = "sha256:" + "!".repeat(100_000);
        RegistryException e = assertRegistryError(RegistryErrorCode.DIGEST_INVALID, () -> Digest.parse(hostile));
        assertTrue(e.getMessage().length() < 400, "detail must not echo 100 kB of input");
    }
}
