package io.berth.auth.service;

import io.berth.auth.config.AuthConfig;
import io.berth.auth.metadata.ProjectRepository;
import io.berth.security.credentials.CredentialCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Whether a project exists and is public, as every token request asks for every scope, from
 * memory when it can be (docs/adr/0026). Entries live as long as credential checks do
 * ({@code berth.auth.credentials.cache-ttl}) and are evicted by the same revocation listener:
 * a trigger on {@code projects} (migration V13) sends {@code pg_notify('berth_credentials',
 * 'project:<name>')} when a project's visibility changes or it is deleted, so every replica hears
 * it at commit. While the listener is not connected the cache answers nothing and every request
 * reads the database. Unknown projects are not remembered: creating one sends nothing.
 */
@ApplicationScoped
public class ProjectVisibility {

    /** The prefix of a project's entries and of its notification payload. */
    public static final String PREFIX = "project:";

    private final ProjectRepository projects;
    private final CredentialCache<Boolean> cache;

    public ProjectVisibility(ProjectRepository projects, AuthConfig config) {
        this.projects = projects;
        var c = config.credentials();
        this.cache = new CredentialCache<>(c.cacheTtl(), c.cacheMaxEntries(), c.listenerPing().multipliedBy(3),
                System::nanoTime);
    }

    /** Whether project {@code name} allows anonymous pulls; empty if there is no such project. */
    public Optional<Boolean> isPublic(String name) {
        String key = PREFIX + name;
        Optional<Boolean> remembered = cache.get(key);
        if (remembered.isPresent()) {
            return remembered;
        }
        long stamp = cache.stamp();
        Optional<Boolean> read = projects.isPublic(name);
        read.ifPresent(open -> cache.put(key, key, open, stamp));
        return read;
    }

    /** The cache, for the revocation listener to keep. */
    CredentialCache<Boolean> cache() {
        return cache;
    }
}
