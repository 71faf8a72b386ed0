package io.berth.replicator.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import io.berth.replicator.remote.Referrer;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteException;
import io.berth.replicator.remote.RemoteManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The referrers (signatures, SBOMs, attestations) of what a {@link CopyRun} copied: listed at the
 * source, each copied by digest once (its blobs and manifest; and its own referrers, down to
 * {@value #MAX_DEPTH} levels). A destination without the referrers API (a PUT with a subject
 * answered without {@code OCI-Subject}) gets the OCI 1.1 referrers tag schema instead: the index
 * tagged {@code sha256-<hex>} lists the subject's referrers, read, extended and put back.
 */
final class ReferrerCopy {

    static final int MAX_DEPTH = 3;

    private final CopyRun run;
    private final Set<Digest> done = new HashSet<>();

    ReferrerCopy(CopyRun run) {
        this.run = run;
    }

    void copy(List<Digest> subjects) {
        for (Digest subject : subjects) {
            copy(subject, 1);
        }
    }

    private void copy(Digest subject, int depth) {
        List<Referrer> referrers = run.source.referrers(run.request.srcRepository(), subject);
        List<ObjectNode> listed = new ArrayList<>();
        List<Digest> next = new ArrayList<>();
        for (Referrer r : referrers) {
            if (!done.add(r.digest())) {
                continue;
            }
            run.checkStop();
            if (run.destination.headManifest(run.request.dstRepository(), r.digest().toString()).isPresent()) {
                run.log.line("referrer " + r.digest() + type(r) + " of " + subject + " exists at the destination");
                ObjectNode descriptor = Manifests.JSON.createObjectNode().put("mediaType", r.mediaType())
                        .put("digest", r.digest().toString()).put("size", r.size());
                if (r.artifactType() != null) {
                    descriptor.put("artifactType", r.artifactType());
                }
                listed.add(descriptor);
            } else {
                RemoteManifest m = run.source.getManifest(run.request.srcRepository(), r.digest().toString());
                Manifest parsed = Manifests.parse(m, run.request.srcRepository());
                run.copyTree(m, parsed, r.digest().toString());
                listed.add(descriptor(parsed));
                run.log.line("referrer " + r.digest() + type(r) + " of " + subject + " copied");
            }
            next.add(r.digest());
        }
        if (!listed.isEmpty() && Boolean.FALSE.equals(run.copier.referrersApi(run.destination))) {
            fallbackTag(subject, listed);
        }
        if (depth < MAX_DEPTH) {
            for (Digest d : next) {
                copy(d, depth + 1);
            }
        }
    }

    /**
     * After a referrer was copied as an artifact of its own (an event for a signature): lists it
     * under its subject's fallback tag if the destination has no referrers API.
     */
    void listed(Manifest referrer) {
        if (Boolean.FALSE.equals(run.copier.referrersApi(run.destination))) {
            fallbackTag(referrer.subject().digest(), List.of(descriptor(referrer)));
        }
    }

    /** A referrer's descriptor as the tag schema's index lists it: with its artifact type and annotations. */
    private static ObjectNode descriptor(Manifest m) {
        ObjectNode d = Manifests.JSON.createObjectNode().put("mediaType", m.mediaType())
                .put("digest", m.digest().toString()).put("size", m.size());
        if (m.artifactType() != null) {
            d.put("artifactType", m.artifactType());
        }
        if (!m.annotations().isEmpty()) {
            ObjectNode a = d.putObject("annotations");
            m.annotations().forEach(a::put);
        }
        return d;
    }

    /** Adds {@code referrers} to the destination's {@code sha256-<hex>} index of {@code subject} (if missing). */
    private void fallbackTag(Digest subject, List<ObjectNode> referrers) {
        String tag = RegistryClient.referrersTag(subject);
        ObjectNode index;
        try {
            RemoteManifest current = run.destination.getManifest(run.request.dstRepository(), tag);
            index = (ObjectNode) Manifests.JSON.readTree(current.bytes());
        } catch (RemoteException e) {
            if (e.reason() != RemoteException.Reason.NOT_FOUND) {
                throw e;
            }
            index = Manifests.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        } catch (IOException | ClassCastException e) {
            throw new RemoteException(RemoteException.Reason.REJECTED, "the referrers tag " + tag + " of "
                    + run.request.dstRepository() + " at the destination is not an index", 0, e);
        }
        ArrayNode manifests = index.has("manifests") && index.get("manifests").isArray()
                ? (ArrayNode) index.get("manifests") : index.putArray("manifests");
        Set<String> there = new HashSet<>();
        for (JsonNode m : manifests) {
            there.add(m.path("digest").asText());
        }
        int added = 0;
        for (ObjectNode r : referrers) {
            if (there.add(r.path("digest").asText())) {
                manifests.add(r);
                added++;
            }
        }
        if (added == 0) {
            return;
        }
        byte[] bytes;
        try {
            bytes = Manifests.JSON.writeValueAsBytes(index);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        run.destination.putManifest(run.request.dstRepository(), tag, MediaTypes.OCI_INDEX, bytes);
        run.manifestsPushed++;
        run.manifestBytes += bytes.length;
        run.log.line("referrers tag " + tag + " lists " + manifests.size() + " referrers (" + added + " added):"
                + " the destination has no referrers API");
    }


    private static String type(Referrer r) {
        return r.artifactType() == null ? "" : " (" + r.artifactType() + ")";
    }
}
