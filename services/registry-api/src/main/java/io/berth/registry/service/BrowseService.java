package io.berth.registry.service;

import io.berth.oci.Digest;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.registry.metadata.ArtifactSummary;
import io.berth.registry.metadata.BrowseRepository;
import io.berth.registry.metadata.Page;
import io.berth.registry.metadata.Repository;
import io.berth.registry.metadata.RepositoryRepository;
import io.berth.registry.metadata.RepositorySummary;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Browsing for people and the console: listings of a project's repositories and a repository's
 * artifacts, and deletes that go through {@link ManifestService} so they follow the same rules
 * and write the same outbox events as a {@code DELETE /v2/...}.
 */
@ApplicationScoped
public class BrowseService {

    private final BrowseRepository browse;
    private final RepositoryRepository repositories;
    private final ManifestService manifests;
    private final StoreCleanup cleanup;

    public BrowseService(BrowseRepository browse, RepositoryRepository repositories,
            ManifestService manifests, StoreCleanup cleanup) {
        this.cleanup = cleanup;
        this.browse = browse;
        this.repositories = repositories;
        this.manifests = manifests;
    }

    /**
     * A page of the project's repositories by name.
     *
     * @param only full names to restrict the listing to, or null for every repository
     * @return empty if the project does not exist
     */
    @WithSpan("browse.repositories")
    public Optional<Page<RepositorySummary>> repositories(@SpanAttribute("project") String project,
            Set<String> only, long offset, int limit) {
        return browse.projectId(project).map(id -> browse.repositories(id, only, offset, limit));
    }

    /**
     * A page of the repository's artifacts, newest push first.
     *
     * @return empty if the repository does not exist
     */
    @WithSpan("browse.artifacts")
    public Optional<Page<ArtifactSummary>> artifacts(@SpanAttribute("repository") RepositoryName name,
            long offset, int limit) {
        return repositories.find(name).map(r -> browse.artifacts(r.id(), offset, limit));
    }

    /**
     * Deletes the artifact and its tags, writing {@code artifact.deleted}.
     *
     * @throws RegistryException NAME_UNKNOWN or MANIFEST_UNKNOWN
     */
    public void deleteArtifact(RepositoryName name, Digest digest) {
        manifests.delete(name, digest);
    }

    /**
     * Deletes the repository with everything in it (see {@link ManifestService#deleteRepository}),
     * then removes the bytes of its unfinished uploads.
     *
     * @throws RegistryException NAME_UNKNOWN, or DENIED if one of its tags is immutable
     */
    public void deleteRepository(RepositoryName name) {
        for (var session : manifests.deleteRepository(name)) {
            cleanup.discardUpload(session);
        }
    }

    /**
     * Deletes {@code tag} if it points at {@code digest}, writing {@code tag.deleted}. The tag
     * row stays locked from the check to the delete (one transaction, which
     * {@link ManifestService#delete} joins), so a tag moved by a concurrent push is not
     * deleted in the artifact's name.
     *
     * @throws RegistryException NAME_UNKNOWN if the repository does not exist, MANIFEST_UNKNOWN
     *     if the tag does not exist or points at another artifact
     */
    @Transactional
    @WithSpan("browse.delete-tag")
    public void deleteTag(@SpanAttribute("repository") RepositoryName name, Digest digest, Tag tag) {
        Repository repository = repositories.find(name).orElseThrow(() -> RegistryException.of(
                RegistryErrorCode.NAME_UNKNOWN, Map.of("name", name.value())));
        String target = browse.lockTag(repository.id(), tag.toString()).orElse(null);
        if (!digest.toString().equals(target)) {
            throw RegistryException.of(RegistryErrorCode.MANIFEST_UNKNOWN,
                    Map.of("name", name.value(), "reference", tag.toString()));
        }
        manifests.delete(name, tag);
    }
}
