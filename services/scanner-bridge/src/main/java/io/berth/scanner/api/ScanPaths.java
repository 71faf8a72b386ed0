package io.berth.scanner.api;

import io.berth.errors.ApiException;
import io.berth.oci.Digest;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.scanner.metadata.ScanTargets;
import io.berth.scanner.metadata.ScanTargets.Scanner;
import io.berth.scanner.metadata.ScanTargets.Target;

/**
 * The parts of the scan API's paths and query parameters, read as the browsing API reads them:
 * {@code {repository}} is the path inside the project ({@code app/web} for {@code team/app/web}),
 * {@code {reference}} a digest ({@code sha256:...}) or a tag; a malformed one is 400, an unknown
 * project, repository or artifact 404 {@code NOT_FOUND} naming what is missing.
 */
final class ScanPaths {

    /** The regex of a path's repository, which may hold slashes; the methods carry it (Quarkus REST matches it there). */
    static final String ARTIFACT = "{project}/repositories/{repository: .+}/artifacts/{reference}";

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;
    static final String TOTAL_HEADER = "X-Total-Count";

    private ScanPaths() {}

    /** A path's artifact, found. */
    record Found(String project, RepositoryName repository, Target target) {
        ScanTargets.Artifact artifact() {
            return target.artifact();
        }

        /** The artifact's name for messages: {@code team/app@sha256:...}. */
        String name() {
            return repository.value() + "@" + target.artifact().digest();
        }
    }

    /** Looks the path up; 400 for a malformed name or reference, 404 for what does not exist. */
    static Found find(ScanTargets targets, String project, String repository, String reference) {
        RepositoryName name = repository(project, repository);
        boolean byDigest = reference.contains(":");
        String ref = parse(() -> byDigest ? Digest.parse(reference).toString() : Tag.parse(reference).toString());
        Target t = targets.find(project, name.value(), ref, byDigest)
                .orElseThrow(() -> ApiException.notFound("project " + project + " not found"));
        if (t.repositoryId() == null) {
            throw ApiException.notFound("repository " + name.value() + " not found");
        }
        if (t.artifact() == null) {
            throw ApiException.notFound((byDigest ? "artifact " : "tag ") + ref + " not found in " + name.value());
        }
        return new Found(project, name, t);
    }

    /** The scanner a read names with {@code ?scanner=}, else the one that applies to the project. */
    static Scanner scanner(ScanTargets targets, Found found, String name) {
        if (name != null) {
            if (name.isBlank() || name.length() > 200) {
                throw ApiException.badRequest("scanner names a registered scanner");
            }
            return targets.scanner(name).orElseThrow(() -> ApiException.badRequest("no scanner named " + name
                    + " is registered"));
        }
        Scanner s = found.target().scanner();
        if (s == null) {
            throw ApiException.notFound(found.name() + " has no report: no scanner applies to project "
                    + found.project() + " (there is no default scanner)");
        }
        return s;
    }

    static RepositoryName repository(String project, String repository) {
        return parse(() -> RepositoryName.parse(project + "/" + repository));
    }

    /** {@code page} and {@code page_size} as the other listings take them: from 1, 1 to 100 (20). */
    static int[] page(String page, String pageSize) {
        return new int[] {number("page", page, Integer.MAX_VALUE, 1), number("page_size", pageSize, MAX_PAGE_SIZE,
                DEFAULT_PAGE_SIZE)};
    }

    private static int number(String name, String value, int max, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // The same answer as a number out of range.
        }
        throw ApiException.badRequest(name + " must be an integer from 1" + (max == Integer.MAX_VALUE ? " up"
                : " to " + max) + ", not '" + value + "'");
    }

    /** Runs a libs/oci parser, turning its NAME_INVALID, DIGEST_INVALID or TAG_INVALID into 400. */
    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (RegistryException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
