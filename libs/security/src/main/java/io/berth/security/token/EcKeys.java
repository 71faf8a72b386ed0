package io.berth.security.token;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

/** P-256 public keys to and from their JWK coordinates (32-byte big-endian x and y). */
final class EcKeys {

    private static final int COORDINATE_BYTES = 32;
    private static final ECParameterSpec P256 = p256();

    private EcKeys() {}

    static ECPublicKey fromCoordinates(byte[] x, byte[] y) {
        if (x.length != COORDINATE_BYTES || y.length != COORDINATE_BYTES) {
            throw new IllegalArgumentException("P-256 coordinates must be 32 bytes each");
        }
        try {
            var point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 public key: " + e.getMessage(), e);
        }
    }

    static byte[] x(ECPublicKey key) {
        return fixed(key.getW().getAffineX());
    }

    static byte[] y(ECPublicKey key) {
        return fixed(key.getW().getAffineY());
    }

    static boolean isP256(ECPublicKey key) {
        return key.getParams().getCurve().equals(P256.getCurve());
    }

    // BigInteger.toByteArray() adds a sign byte or drops leading zeros; JWK wants exactly 32.
    private static byte[] fixed(BigInteger v) {
        byte[] raw = v.toByteArray();
        if (raw.length == COORDINATE_BYTES) {
            return raw;
        }
        byte[] out = new byte[COORDINATE_BYTES];
        int copy = Math.min(raw.length, COORDINATE_BYTES);
        System.arraycopy(raw, raw.length - copy, out, COORDINATE_BYTES - copy, copy);
        return out;
    }

    private static ECParameterSpec p256() {
        try {
            var params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks the P-256 curve", e);
        }
    }

    static boolean sameKey(ECPublicKey a, ECPublicKey b) {
        return Arrays.equals(x(a), x(b)) && Arrays.equals(y(a), y(b));
    }
}
