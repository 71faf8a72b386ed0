package io.berth.replicator.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.replicator.copy.Copier;
import io.berth.replicator.copy.CopyLog;
import io.berth.replicator.copy.CopyRefused;
import io.berth.replicator.copy.CopyRequest;
import io.berth.replicator.copy.CopyResult;
import io.berth.replicator.copy.CopyStopped;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteManifest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * TEMPORARY, tests only: a plain image copier standing in for repl-copy's ArtifactCopier until
 * that branch is merged (then this file goes).
 */
@ApplicationScoped
public class StandInCopier implements Copier {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public CopyResult copy(CopyRequest r, CopyLog log) {
        RemoteManifest m = r.source().getManifest(r.srcRepository(), r.srcReference());
        if (r.dstTag() != null) {
            var there = r.destination().headManifest(r.dstRepository(), r.dstTag());
            if (there.isPresent() && there.get().digest().equals(m.digest())) {
                return new CopyResult(m.digest(), 0, 0, 0, 0, 0, true);
            }
            if (there.isPresent() && !r.overwrite()) {
                throw new CopyRefused(CopyRefused.Reason.EXISTS, r.dstRepository() + ":" + r.dstTag()
                        + " exists at the destination with another digest and the policy does not overwrite");
            }
        }
        long bytes = 0;
        int copied = 0;
        for (Digest d : blobs(m.bytes())) {
            if (r.stopRequested().getAsBoolean()) {
                throw new CopyStopped("stopped");
            }
            if (r.destination().blobSize(r.dstRepository(), d).isPresent()) {
                continue;
            }
            long size = r.source().blobSize(r.srcRepository(), d).orElseThrow();
            RegistryClient src = r.source();
            r.destination().pushBlob(r.dstRepository(), d, size, () -> src.openBlob(r.srcRepository(), d), null, 0);
            bytes += size;
            copied++;
        }
        r.destination().putManifest(r.dstRepository(), r.dstTag() != null ? r.dstTag() : m.digest().toString(),
                m.mediaType(), m.bytes());
        log.line("stand-in copy of " + m.digest());
        return new CopyResult(m.digest(), bytes + m.bytes().length, copied, 0, 0, 1, false);
    }

    @Override
    public boolean delete(RegistryClient destination, String repository, String reference, CopyLog log) {
        return destination.deleteManifest(repository, reference);
    }

    private static List<Digest> blobs(byte[] manifest) {
        try {
            JsonNode n = JSON.readTree(manifest);
            List<Digest> out = new ArrayList<>();
            out.add(Digest.parse(n.path("config").path("digest").asText()));
            n.path("layers").forEach(l -> out.add(Digest.parse(l.path("digest").asText())));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
