package io.berth.replicator.policy;

import io.berth.security.policy.Glob;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a policy copies (ADR 0038): repositories by doublestar pattern, tags by include and exclude
 * patterns, kinds of artifact, and the platforms of an index. Empty lists mean "everything".
 *
 * <p>Patterns are berth's globs ({@link Glob}, the language of tag immutability and retention
 * rules, close to Harbor's doublestar): {@code *} is any run of characters but {@code /},
 * {@code **} any run including {@code /}, {@code ?} one character but {@code /}, {@code {a,b}}
 * either. A repository pattern matches the whole repository name ({@code team/app});
 * {@code team/**} is every repository of project {@code team}.
 *
 * @param repositories patterns of the source repository; empty: every repository
 * @param tagsInclude a tag is copied only if it matches one of these; empty: every tag
 * @param tagsExclude a tag matching one of these is never copied
 * @param kinds which kinds of artifact; empty or containing {@code ALL}: every kind
 * @param platforms {@code os/architecture[/variant]} of an index's children to copy; empty: all
 * @param untagged whether artifacts without a tag are copied (by digest) by manual and scheduled runs
 */
public record Filters(List<String> repositories, List<String> tagsInclude, List<String> tagsExclude, Set<Kind> kinds,
        List<String> platforms, boolean untagged) {

    /** The kinds of artifact a policy can select. */
    public enum Kind {
        /** Container images and image indexes. */
        IMAGES,
        /** Helm charts. */
        CHARTS,
        /** Signatures, SBOMs and any other manifest with a {@code subject}: they travel with their subject. */
        REFERRERS,
        /** Everything, including artifacts of other types. */
        ALL;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Filters ALL_ARTIFACTS = new Filters(List.of(), List.of(), List.of(), EnumSet.of(Kind.ALL),
            List.of(), false);

    public Filters {
        repositories = List.copyOf(Objects.requireNonNull(repositories, "repositories"));
        tagsInclude = List.copyOf(Objects.requireNonNull(tagsInclude, "tagsInclude"));
        tagsExclude = List.copyOf(Objects.requireNonNull(tagsExclude, "tagsExclude"));
        kinds = kinds == null || kinds.isEmpty() ? EnumSet.of(Kind.ALL) : EnumSet.copyOf(kinds);
        platforms = List.copyOf(Objects.requireNonNull(platforms, "platforms"));
    }

    public boolean matchesRepository(String repository) {
        return repositories.isEmpty() || repositories.stream().anyMatch(p -> Glob.compile(p).matches(repository));
    }

    public boolean matchesTag(String tag) {
        if (!tagsInclude.isEmpty() && tagsInclude.stream().noneMatch(p -> Glob.compile(p).matches(tag))) {
            return false;
        }
        return tagsExclude.stream().noneMatch(p -> Glob.compile(p).matches(tag));
    }

    /** Whether a platform of an index is copied; a child without a platform is always copied. */
    public boolean matchesPlatform(String os, String architecture, String variant) {
        if (platforms.isEmpty() || os == null || architecture == null) {
            return true;
        }
        for (String p : platforms) {
            String[] parts = p.split("/");
            if (parts[0].equals(os) && parts[1].equals(architecture)
                    && (parts.length < 3 || parts[2].equals(variant))) {
                return true;
            }
        }
        return false;
    }

    public boolean includes(Kind kind) {
        return kinds.contains(Kind.ALL) || kinds.contains(kind);
    }

    /** Whether signatures, SBOMs and other referrers are copied with their subjects. */
    public boolean referrers() {
        return includes(Kind.REFERRERS);
    }

    /**
     * The kind of a top-level artifact from its manifest's media type and effective artifact type
     * (the manifest's {@code artifactType}, else its config's media type); {@code hasSubject} for a
     * manifest with a {@code subject}.
     */
    public static Kind kindOf(String mediaType, String artifactType, boolean hasSubject) {
        if (hasSubject) {
            return Kind.REFERRERS;
        }
        if (artifactType != null && artifactType.startsWith("application/vnd.cncf.helm.")) {
            return Kind.CHARTS;
        }
        if (mediaType != null && (mediaType.endsWith(".index.v1+json") || mediaType.endsWith(".list.v2+json"))) {
            return Kind.IMAGES;
        }
        if (artifactType == null || artifactType.equals("application/vnd.oci.image.config.v1+json")
                || artifactType.equals("application/vnd.docker.container.image.v1+json")) {
            return Kind.IMAGES;
        }
        return Kind.ALL;
    }

    /** Whether an artifact of {@code kind} is copied. */
    public boolean matchesKind(Kind kind) {
        return kind == Kind.ALL ? kinds.contains(Kind.ALL) : includes(kind);
    }

    /** Checks a pattern; the message says what is wrong with it. */
    public static void checkPattern(String pattern) {
        Glob.validate("a pattern", pattern);
    }

    /** Checks {@code os/architecture[/variant]}. */
    public static void checkPlatform(String platform) {
        if (platform == null || !platform.matches("[a-z0-9._-]+/[a-z0-9._-]+(/[a-z0-9._-]+)?")) {
            throw new IllegalArgumentException("\"" + platform + "\" is not os/architecture[/variant], e.g. linux/arm64/v8");
        }
    }
}
