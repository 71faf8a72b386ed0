package io.berth.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.EventType;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import io.berth.oci.ManifestParser;
import io.berth.oci.Reference;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.registry.events.ArtifactEventData;
import io.berth.registry.events.OutboxWriter;
import io.berth.registry.metadata.BlobRepository;
import io.berth.registry.metadata.ManifestRepository;
import io.berth.registry.metadata.Referrer;
import io.berth.registry.metadata.Repository;
import io.berth.registry.metadata.RepositoryRepository;
import io.berth.registry.metadata.StoredManifest;
import io.berth.registry.metadata.TagRepository;
import io.berth.registry.metadata.UploadRepository;
import io.berth.registry.metadata.UploadSession;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.berth.registry.security.RequestOrigin;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Manifest push, pull, delete, tag listing and referrers: the rules of the distribution-spec
 * on top of the metadata repositories.
 *
 * <p>A push or delete is one database transaction: the manifest, its references, the tag, the
 * project's usage and the outbox event are committed together or not at all. The project's
 * quota and immutable tags are checked inside it ({@link ProjectPolicy}). A rejected push (any
 * {@link RegistryException}) rolls back, so it moves no tag, creates no repository, counts no
 * usage and writes no event, except {@code project.quota.exceeded} for a push over the quota,
 * which is written on its own after the rollback.
 */
@ApplicationScoped
public class ManifestService {

    private final RepositoryRepository repositories;
    private final ManifestRepository manifests;
    private final TagRepository tags;
    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final ReadGate reads;
    private final Instance<RequestOrigin> origin;
    private final ProjectPolicy policy;
    private final BlobRepository blobs;
    private final UploadRepository uploads;
    private final PullGate gate;
    private final WriteRules writeRules;

    public ManifestService(RepositoryRepository repositories, ManifestRepository manifests,
            TagRepository tags, OutboxWriter outbox, ObjectMapper json, ReadGate reads, Instance<RequestOrigin> origin,
            ProjectPolicy policy, BlobRepository blobs, UploadRepository uploads, PullGate gate, WriteRules writeRules) {
        this.gate = gate;
        this.writeRules = writeRules;
        this.policy = policy;
        this.blobs = blobs;
        this.uploads = uploads;
        this.repositories = repositories;
        this.manifests = manifests;
        this.tags = tags;
        this.outbox = outbox;
        this.json = json;
        this.reads = reads;
        this.origin = origin;
    }

    /** Who made the current request, for its events; null outside a request. */
    private String actor() {
        return Arc.container().requestContext().isActive() ? origin.get().actor() : null;
    }

    private String clientIp() {
        return Arc.container().requestContext().isActive() ? origin.get().clientIp() : null;
    }

    /**
     * What a successful push answers with.
     *
     * @param tags the tags given as {@code ?tag=} parameters that now point at the manifest
     */
    public record Pushed(Digest digest, Digest subject, List<String> tags) {}

    /**
     * Validates and stores a pushed manifest, moves the tag if {@code reference} is one (and the
     * tags of {@code tagParams}, all in the same transaction), and writes {@code artifact.pushed}:
     * one event per tag moved, or one without a tag.
     *
     * @param contentType the request's Content-Type, or null
     * @param tagParams tags to point at the manifest as well (the {@code ?tag=} parameters of a
     *     push by digest); checked before anything is written
     * @throws RegistryException MANIFEST_INVALID or UNSUPPORTED for a bad document (see
     *     {@link ManifestParser}); DIGEST_INVALID if pushed by a digest the bytes do not have;
     *     NAME_UNKNOWN if the project does not exist; MANIFEST_BLOB_UNKNOWN if a referenced blob
     *     is not linked to the repository or a child manifest is not in it; NAME_INVALID if a
     *     tag parameter is not a valid tag; DENIED ({@link PolicyException}) if a tag is immutable
     *     and points at another manifest, the push does not fit the project's quota, or the
     *     token's subject is a restricted writer whose rule refuses the push ({@link WriteRules})
     */
    @WithSpan("manifest.push")
    public Pushed push(@SpanAttribute("repository") RepositoryName name,
            @SpanAttribute("reference") Reference reference, byte[] body, String contentType,
            List<String> tagParams) {
        Set<String> extraTags = new LinkedHashSet<>();
        for (String t : tagParams) {
            extraTags.add(Tag.parse(t).toString());
        }
        // Pushed by digest: that digest's algorithm; by tag: sha256, what every client uses.
        DigestAlgorithm algorithm = reference instanceof Digest d ? d.algorithm() : DigestAlgorithm.SHA256;
        Manifest manifest = ManifestParser.parse(body, contentType, algorithm);
        if (reference instanceof Digest expected && !expected.equals(manifest.digest())) {
            throw RegistryException.of(RegistryErrorCode.DIGEST_INVALID, Map.of(
                    "expected", expected.toString(), "computed", manifest.digest().toString()));
        }
        writeRules.checkPush(actor(), reference, List.copyOf(extraTags), manifest);
        Set<String> moved = new LinkedHashSet<>();
        if (!(reference instanceof Digest)) {
            moved.add(reference.toString());
        }
        moved.addAll(extraTags);
        boolean sparse = writeRules.maySkipChildren(actor());
        policy.recordingRefusals(() -> store(name, manifest, body, moved, sparse));
        return new Pushed(manifest.digest(),
                manifest.subject() == null ? null : manifest.subject().digest(), List.copyOf(extraTags));
    }

    /**
     * The push's one transaction: under the project's usage lock, checks the references, the
     * immutable tags and (after storing) the quota, so a refused push leaves nothing behind.
     *
     * @param sparse the pusher may leave an index's children out ({@link WriteRules#maySkipChildren})
     */
    private Void store(RepositoryName name, Manifest manifest, byte[] body, Set<String> moved, boolean sparse) {
        Repository repository = repositories.findOrCreate(name);
        ProjectPolicy.Guard guard = policy.lock(repository.projectId());
        long totalSize = manifest.size() + checkBlobs(repository, manifest);
        if (!sparse) {
            checkChildren(repository, manifest);
        }
        String digest = manifest.digest().toString();
        Map<String, String> current = tags.current(repository.id(), moved);
        for (String tag : moved) {
            guard.checkOverwrite(name, tag, current.get(tag), digest);
        }
        List<String> blobRefs = digests(manifest.blobReferences()).stream().map(Digest::toString).toList();
        guard.measure(blobRefs, List.of(digest));

        long id = manifests.insert(repository.id(), manifest, body, totalSize,
                annotationsJson(manifest.annotations()));
        blobs.adopt(repository.id(), blobRefs);
        for (String tag : moved) {
            tags.put(repository.id(), tag, id);
        }
        guard.settle(name);
        for (String tag : moved.isEmpty() ? Collections.<String>singleton(null) : moved) {
            outbox.write(EventType.ARTIFACT_PUSHED, name.value(), new ArtifactEventData(
                    name.project(), name.value(), digest, manifest.mediaType(),
                    manifest.artifactType(), tag, manifest.size(), actor(), clientIp()));
        }
        return null;
    }

    /**
     * The manifest {@code reference} names.
     *
     * @param withContent false for HEAD: the bytes are not read
     * @throws RegistryException NAME_UNKNOWN or MANIFEST_UNKNOWN
     */
    public StoredManifest get(RepositoryName name, Reference reference, boolean withContent) {
        return reads.read(() -> manifests.get(name, reference, withContent));
    }

    /**
     * The manifest {@code reference} names, with its bytes, for a GET: through the pull gate when
     * the project's vulnerability policy prevents pulls and the request's token does not hold
     * {@code scanner-pull} ({@link PullGate}); otherwise exactly {@link #get}.
     *
     * @throws RegistryException NAME_UNKNOWN or MANIFEST_UNKNOWN; DENIED ({@link PolicyException})
     *     if the gate refuses the pull
     */
    public StoredManifest pull(RepositoryName name, Reference reference) {
        var gating = gate.policyOf(name);
        if (gating == null || passesPullGate(name)) {
            return get(name, reference, true);
        }
        return gate.pull(name, reference, gating);
    }

    private boolean passesPullGate(RepositoryName name) {
        return Arc.container().requestContext().isActive() && origin.get().passesPullGate(name.value());
    }

    /**
     * Deletes a manifest with its tags (by digest) or just a tag (by tag), and writes
     * {@code artifact.deleted} or {@code tag.deleted}. A manifest still listed by an index may
     * be deleted, as in distribution: the index then points at a missing child, and gc
     * keeps the child's blobs only as long as something references them.
     *
     * @throws RegistryException NAME_UNKNOWN if the repository does not exist,
     *     MANIFEST_UNKNOWN if the manifest or tag does not, DENIED ({@link PolicyException}) if the
     *     tag, or a tag of the manifest, is immutable
     */
    @Transactional
    @WithSpan("manifest.delete")
    public void delete(@SpanAttribute("repository") RepositoryName name,
            @SpanAttribute("reference") Reference reference) {
        Repository repository = existing(name);
        StoredManifest gone;
        EventType type;
        String tag = null;
        if (reference instanceof Digest digest) {
            ProjectPolicy.Guard guard = policy.lock(repository.projectId());
            guard.checkDelete(name, tags.pointingAt(repository.id(), digest.toString()));
            guard.measure(manifests.blobReferences(repository.id(), digest.toString()), List.of(digest.toString()));
            gone = manifests.delete(repository.id(), digest).orElseThrow(() -> manifestUnknown(name, reference));
            guard.settle(name);
            type = EventType.ARTIFACT_DELETED;
        } else {
            // A tag delete frees nothing (the manifest stays), so it takes no usage lock.
            tag = reference.toString();
            gone = tags.delete(repository.id(), tag).orElseThrow(() -> manifestUnknown(name, reference));
            policy.rules(repository.projectId()).checkDelete(name, List.of(tag));
            type = EventType.TAG_DELETED;
        }
        outbox.write(type, name.value(), new ArtifactEventData(name.project(), name.value(),
                gone.digest(), gone.mediaType(), gone.artifactType(), tag, gone.size(), actor(), clientIp()));
    }

    /**
     * Deletes the repository with all its manifests, tags and blob links, writing
     * {@code artifact.deleted} for each manifest, and frees what only it held. Refused (DENIED)
     * if any of its tags is immutable. Its upload sessions end too; their bytes are returned for
     * the caller to remove once this has committed.
     *
     * @throws RegistryException NAME_UNKNOWN if the repository does not exist
     */
    @Transactional
    @WithSpan("repository.delete")
    public List<UploadSession> deleteRepository(@SpanAttribute("repository") RepositoryName name) {
        Repository repository = existing(name);
        ProjectPolicy.Guard guard = policy.lock(repository.projectId());
        guard.checkDelete(name, tags.all(repository.id()));
        List<StoredManifest> all = manifests.all(repository.id());
        guard.measure(blobs.linked(repository.id()), all.stream().map(StoredManifest::digest).toList());
        List<UploadSession> sessions = uploads.ofRepository(repository.id());
        repositories.delete(repository.id());
        guard.settle(name);
        for (StoredManifest m : all) {
            outbox.write(EventType.ARTIFACT_DELETED, name.value(), new ArtifactEventData(name.project(), name.value(),
                    m.digest(), m.mediaType(), m.artifactType(), null, m.size(), actor(), clientIp()));
        }
        return sessions;
    }

    private static RegistryException manifestUnknown(RepositoryName name, Reference reference) {
        return RegistryException.of(RegistryErrorCode.MANIFEST_UNKNOWN,
                Map.of("name", name.value(), "reference", reference.toString()));
    }

    /**
     * Up to {@code limit} tags of the repository after {@code last}, in byte order.
     *
     * @throws RegistryException NAME_UNKNOWN if the repository does not exist
     */
    public List<String> tags(RepositoryName name, String last, int limit) {
        Repository repository = existing(name);
        return limit == 0 ? List.of() : tags.list(repository.id(), last, limit);
    }

    /**
     * Up to {@code limit} manifests of the repository whose subject is {@code subject}, in digest
     * order after {@code after}, optionally only those of {@code artifactType}. An unknown
     * repository has no referrers: the spec forbids a 404 here (clients would fall back to the
     * tag schema), so it is an empty list too.
     */
    public List<Referrer> referrers(RepositoryName name, Digest subject, String artifactType, String after, int limit) {
        return repositories.find(name)
                .map(r -> manifests.referrers(r.id(), subject, artifactType, after, limit))
                .orElse(List.of());
    }

    private Repository existing(RepositoryName name) {
        return repositories.find(name).orElseThrow(() -> RegistryException.of(
                RegistryErrorCode.NAME_UNKNOWN, Map.of("name", name.value())));
    }

    /**
     * Every config and layer must be linked to the repository (pushed or mounted into it), except
     * non-distributable layers: their bytes live at their {@code urls}, outside any registry, as
     * distribution and the conformance suite expect. They are still recorded as references, so
     * one that was pushed anyway is kept like any other blob.
     *
     * @return the summed size of the distinct blobs held here, for total_size
     */
    private long checkBlobs(Repository repository, Manifest manifest) {
        List<Digest> wanted = digests(manifest.blobReferences().stream()
                .filter(d -> !MediaTypes.isNonDistributableLayer(d.mediaType())).toList());
        Map<Digest, Long> sizes = manifests.linkedBlobSizes(repository.id(), wanted);
        for (Digest d : wanted) {
            if (!sizes.containsKey(d)) {
                throw unknownReference(repository, "blob", d);
            }
        }
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every child of an index must already be a manifest of the repository. */
    private void checkChildren(Repository repository, Manifest manifest) {
        List<Digest> wanted = digests(manifest.manifestReferences());
        Set<Digest> found = manifests.existing(repository.id(), wanted);
        for (Digest d : wanted) {
            if (!found.contains(d)) {
                throw unknownReference(repository, "manifest", d);
            }
        }
    }

    private static RegistryException unknownReference(Repository repository, String kind, Digest d) {
        return RegistryException.of(RegistryErrorCode.MANIFEST_BLOB_UNKNOWN, Map.of(
                "digest", d.toString(),
                "reason", kind + " " + d + " is not in repository " + repository.name()));
    }

    private static List<Digest> digests(List<Descriptor> descriptors) {
        Set<Digest> seen = new HashSet<>();
        List<Digest> ordered = new ArrayList<>();
        for (Descriptor d : descriptors) {
            if (seen.add(d.digest())) {
                ordered.add(d.digest());
            }
        }
        return ordered;
    }

    private String annotationsJson(Map<String, String> annotations) {
        if (annotations.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(annotations);
        } catch (JsonProcessingException e) {
            // A map of strings always serialises; this is Jackson's checked signature.
            throw new IllegalStateException("cannot serialise annotations", e);
        }
    }
}
