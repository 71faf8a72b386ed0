package io.berth.registry.service;

import io.berth.oci.DigestAlgorithm;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The digest of each upload computed as its bytes arrive, kept in this replica's memory only.
 * An entry is trusted only while it has hashed exactly the bytes the session row says were
 * received; otherwise (a restart, bytes that went to another replica) it is dropped and the
 * commit hashes the stored object once instead. Losing entries is therefore always safe.
 */
@ApplicationScoped
public class RunningDigests {

    /** Entries of sessions abandoned without a commit are not worth tracking past this many. */
    private static final int MAX_ENTRIES = 100_000;

    /** A digest in progress: the algorithm, its state, and how many bytes it has seen. */
    static final class Running {
        final DigestAlgorithm algorithm;
        final MessageDigest digest;
        long bytes;

        Running(DigestAlgorithm algorithm) {
            this.algorithm = algorithm;
            this.digest = algorithm.newMessageDigest();
        }

        void update(byte[] data, int offset, int length) {
            digest.update(data, offset, length);
            bytes += length;
        }

        void update(ByteBuffer data) {
            bytes += data.remaining();
            digest.update(data);
        }

        /** The digest of everything seen plus {@code more}, leaving this state untouched. */
        byte[] finishCopy(byte[] more, int offset, int length) {
            try {
                MessageDigest copy = (MessageDigest) digest.clone();
                copy.update(more, offset, length);
                return copy.digest();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("JDK digest " + algorithm.jdkName() + " cannot be cloned", e);
            }
        }
    }

    private final Map<UUID, Running> running = new ConcurrentHashMap<>();

    /** Starts hashing a new session with {@code algorithm} (SHA-256 unless the digest is known). */
    Running start(UUID uploadId, DigestAlgorithm algorithm) {
        if (running.size() >= MAX_ENTRIES) {
            // Only an optimisation: forgetting costs one re-read per affected commit.
            running.clear();
        }
        Running r = new Running(algorithm);
        running.put(uploadId, r);
        return r;
    }

    /**
     * The running digest of a session that has received {@code receivedBytes}: the existing one if
     * it saw exactly those bytes, a fresh one for an empty session, else none (the entry is dropped).
     */
    Optional<Running> current(UUID uploadId, long receivedBytes) {
        Running r = running.get(uploadId);
        if (r != null && r.bytes == receivedBytes) {
            return Optional.of(r);
        }
        running.remove(uploadId);
        return receivedBytes == 0 ? Optional.of(start(uploadId, DigestAlgorithm.SHA256)) : Optional.empty();
    }

    /** Drops a session's digest (committed, cancelled, or no longer trustworthy). */
    void forget(UUID uploadId) {
        running.remove(uploadId);
    }

    /** Drops every digest, as a restart would; tests use it to continue a session "elsewhere". */
    void forgetAll() {
        running.clear();
    }
}
