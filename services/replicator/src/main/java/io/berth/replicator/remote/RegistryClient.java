package io.berth.replicator.remote;

import io.berth.security.tls.TrustAll;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import static io.berth.replicator.remote.Bodies.closeQuietly;
import static io.berth.replicator.remote.Bodies.discard;
import static io.berth.replicator.remote.Bodies.jsonObject;
import static io.berth.replicator.remote.Bodies.message;
import static io.berth.replicator.remote.Bodies.text;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A client of one remote registry's distribution API ({@code /v2/}), the base of replication:
 * the {@code /v2/} check, HEAD of blobs, HEAD/GET/PUT of manifests, blob uploads (monolithic or
 * in chunks, with a cross-repository mount tried first when a source repository is named), and
 * blob downloads as streams; the catalog and tags over all their pages, a manifest's referrers
 * (the OCI 1.1 API or the referrers tag schema) and manifest deletes (ADR 0040).
 * Authentication is {@link RemoteAuth}'s (Basic, or the Docker token flow with tokens cached per
 * scope). Blob bytes are streamed both ways, never held in memory;
 * only manifests (at most {@value #MAX_MANIFEST} bytes, distribution's own limit) are.
 *
 * <p>Every failure is a {@link RemoteException} whose reason says what to do about it: DNS,
 * connection refused, TLS, timeout, unauthorized, forbidden, not a registry, not found, rejected.
 * One instance per endpoint; thread-safe (tokens are shared by all its requests).
 */
public final class RegistryClient {

    /** distribution refuses manifests over 4 MiB; so does the client. */
    public static final int MAX_MANIFEST = 4 * 1024 * 1024;

    /** How a blob reached the remote. */
    public enum Upload {
        /** Mounted from another repository there: no bytes sent. */
        MOUNTED,
        /** Sent. */
        UPLOADED
    }

    /**
     * The answer of a successful {@link #ping()}.
     *
     * @param apiVersion the {@code Docker-Distribution-API-Version} header, or null
     * @param auth how the remote authenticates: none, basic or bearer
     * @param took how long the check took
     */
    public record Ping(String apiVersion, String auth, Duration took) {}

    private static final String ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);

    private final RemoteTarget target;
    private final HttpClient http;
    private final RemoteAuth auth;
    private final Listings listings = new Listings(this);

    public RegistryClient(RemoteTarget target) {
        this.target = target;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(target.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if (target.insecure()) {
            b.sslContext(TrustAll.context());
        }
        this.http = b.build();
        this.auth = new RemoteAuth(target, http);
    }

    public RemoteTarget target() {
        return target;
    }

    /**
     * Checks that a registry answers {@code /v2/} and accepts the endpoint's credentials (for the
     * token flow: that the token service gives them a token).
     *
     * @throws RemoteException for each way it can fail; NOT_A_REGISTRY if what answers is no
     *     registry (no {@code /v2/}, or a 200 that is neither JSON nor marked as the API's)
     */
    public Ping ping() {
        long start = System.nanoTime();
        HttpResponse<InputStream> r = send(() -> request("/v2/").GET(), List.of(), HttpResponse.BodyHandlers.ofInputStream());
        String body = text(r);
        String version = r.headers().firstValue("Docker-Distribution-API-Version").orElse(null);
        if (r.statusCode() == 200) {
            if (version == null && !jsonObject(body)) {
                throw new RemoteException(RemoteException.Reason.NOT_A_REGISTRY, target.url() + "/v2/ answers 200, but"
                        + " not as a registry (no Docker-Distribution-API-Version header, and the body is not JSON)",
                        200, null);
            }
            return new Ping(version, auth.scheme(), Duration.ofNanos(System.nanoTime() - start));
        }
        if (r.statusCode() == 403) {
            throw new RemoteException(RemoteException.Reason.FORBIDDEN, target.url() + "/v2/ refused "
                    + (target.hasCredentials() ? "user " + target.username() : "anonymous access") + " (403)", 403, null);
        }
        if (r.statusCode() >= 500) {
            throw new RemoteException(RemoteException.Reason.REJECTED, target.url() + "/v2/ failed with "
                    + r.statusCode() + message(body), r.statusCode(), null);
        }
        throw new RemoteException(RemoteException.Reason.NOT_A_REGISTRY, target.url() + "/v2/ answers "
                + r.statusCode() + ": not a registry speaking the distribution API (is the URL the registry's?)",
                r.statusCode(), null);
    }

    /** The size of blob {@code digest} in {@code repository}, or empty if it is not there. */
    public OptionalLong blobSize(String repository, Digest digest) {
        HttpResponse<InputStream> r = followed(send(() -> request(path(repository, "blobs", digest.toString()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), pull(repository),
                HttpResponse.BodyHandlers.ofInputStream()), "HEAD");
        text(r);
        if (r.statusCode() == 404) {
            return OptionalLong.empty();
        }
        check(r, 200, "HEAD of blob " + digest + " in " + repository, null);
        return OptionalLong.of(r.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /**
     * Blob {@code digest} of {@code repository} as a stream, to be closed by the caller; a
     * redirect (to object storage) is followed without the registry's credentials.
     *
     * @throws RemoteException NOT_FOUND if it is not there
     */
    public InputStream openBlob(String repository, Digest digest) {
        HttpResponse<InputStream> r = followed(send(() -> request(path(repository, "blobs", digest.toString())).GET(),
                pull(repository), HttpResponse.BodyHandlers.ofInputStream()), "GET");
        if (r.statusCode() != 200) {
            check(r, 200, "GET of blob " + digest + " in " + repository, text(r));
        }
        return r.body();
    }

    /** The manifest {@code reference} (tag or digest) of {@code repository} without its bytes, or empty. */
    public Optional<RemoteManifest> headManifest(String repository, String reference) {
        HttpResponse<InputStream> r = send(() -> request(path(repository, "manifests", reference)).header("Accept", ACCEPT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), pull(repository),
                HttpResponse.BodyHandlers.ofInputStream());
        text(r);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        check(r, 200, "HEAD of manifest " + reference + " in " + repository, null);
        String digest = r.headers().firstValue("Docker-Content-Digest").orElseThrow(() -> new RemoteException(
                RemoteException.Reason.REJECTED, target.url() + " answered a manifest HEAD without Docker-Content-Digest",
                200, null));
        return Optional.of(new RemoteManifest(parse(digest), r.headers().firstValue("Content-Type").orElse(null),
                r.headers().firstValueAsLong("Content-Length").orElse(-1), null));
    }

    /**
     * The manifest {@code reference} of {@code repository} with its bytes, checked against its
     * digest (the one asked for, and the one the remote names).
     *
     * @throws RemoteException NOT_FOUND if it is not there; REJECTED if the bytes do not match
     */
    public RemoteManifest getManifest(String repository, String reference) {
        HttpResponse<InputStream> r = send(() -> request(path(repository, "manifests", reference)).header("Accept", ACCEPT)
                .GET(), pull(repository), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            check(r, 200, "GET of manifest " + reference + " in " + repository, text(r));
        }
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(MAX_MANIFEST + 1);
        } catch (IOException e) {
            throw Failures.of(e, r.uri());
        }
        if (bytes.length > MAX_MANIFEST) {
            throw new RemoteException(RemoteException.Reason.REJECTED, "manifest " + reference + " in " + repository
                    + " is larger than " + MAX_MANIFEST + " bytes", 200, null);
        }
        Digest computed = Digest.sha256(bytes);
        Optional<String> named = r.headers().firstValue("Docker-Content-Digest");
        boolean byDigest = reference.contains(":");
        if ((byDigest && !reference.equals(computed.toString()))
                || (named.isPresent() && named.get().startsWith("sha256:") && !named.get().equals(computed.toString()))) {
            throw new RemoteException(RemoteException.Reason.REJECTED, "manifest " + reference + " in " + repository
                    + " does not match its digest (got " + computed + ")", 200, null);
        }
        return new RemoteManifest(computed, r.headers().firstValue("Content-Type").orElse(null), bytes.length, bytes);
    }

    /**
     * What a manifest PUT answered.
     *
     * @param digest the manifest's digest
     * @param subject the {@code OCI-Subject} header (a registry with the referrers API names the
     *     subject of a manifest that has one), or null
     */
    public record ManifestPut(Digest digest, String subject) {}

    /** The default page size of {@link #catalog()} and {@link #tags(String)}. */
    public static final int PAGE = 1000;

    /** Every repository of the catalog ({@code /v2/_catalog}, all pages). */
    public List<String> catalog() {
        return catalog(PAGE);
    }

    /** Every repository of the catalog, asked {@code pageSize} at a time. */
    public List<String> catalog(int pageSize) {
        return listings.catalog(pageSize);
    }

    /** Every tag of {@code repository} (all pages); empty if the repository is unknown (404). */
    public List<String> tags(String repository) {
        return tags(repository, PAGE);
    }

    /** Every tag of {@code repository}, asked {@code pageSize} at a time. */
    public List<String> tags(String repository, int pageSize) {
        return listings.tags(repository, pageSize);
    }

    /**
     * The referrers of {@code subject} in {@code repository}: the OCI 1.1 referrers API's answer;
     * where the registry has no such API (404 without an OCI error body, or 405), the index of
     * the referrers tag schema ({@code sha256-<hex>}); neither: empty.
     */
    public List<Referrer> referrers(String repository, Digest subject) {
        return listings.referrers(repository, subject);
    }

    /** The tag under which the referrers tag schema lists {@code subject}'s referrers: {@code sha256-<hex>}. */
    public static String referrersTag(Digest subject) {
        return Listings.fallbackTag(subject);
    }


    /**
     * Deletes manifest {@code reference} (a digest: the manifest and every tag on it; a tag:
     * only where the registry allows deleting tags) from {@code repository}.
     *
     * @return true if it was deleted (202 or 200), false if it was not there (404)
     * @throws RemoteException REJECTED saying the registry does not allow deletes (405, or
     *     {@code UNSUPPORTED}), or with the registry's reason for any other refusal
     */
    public boolean deleteManifest(String repository, String reference) {
        HttpResponse<String> r = send(() -> request(path(repository, "manifests", reference)).DELETE(),
                List.of("repository:" + repository + ":delete"), HttpResponse.BodyHandlers.ofString());
        int s = r.statusCode();
        if (s == 202 || s == 200) {
            return true;
        }
        if (s == 404) {
            return false;
        }
        String why = message(r.body());
        // distribution 2.x answers a tag with 400 DIGEST_INVALID: it deletes manifests by digest only.
        boolean tag = !reference.contains(":");
        if (s == 405 || why.contains("UNSUPPORTED") || (tag && s == 400 && why.contains("DIGEST_INVALID"))) {
            throw new RemoteException(RemoteException.Reason.REJECTED, "the registry at " + target.url()
                    + " does not allow deletes" + (tag ? " of tags" : "") + " (deleting "
                    + reference + " in " + repository + " answered " + s + why + ")", s, null);
        }
        check(r, 202, "DELETE of manifest " + reference + " in " + repository, r.body());
        return true;
    }

    /**
     * Puts a manifest under {@code reference} (a tag or its digest); returns its digest.
     *
     * @throws RemoteException REJECTED with the remote's reason if it refuses it (an unknown
     *     blob, a media type it does not take, an immutable tag)
     */
    public Digest putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        return pushManifest(repository, reference, mediaType, manifest).digest();
    }

    /**
     * {@link #putManifest}, also telling the {@code OCI-Subject} header of the answer (how a
     * registry says it has the referrers API).
     */
    public ManifestPut pushManifest(String repository, String reference, String mediaType, byte[] manifest) {
        HttpResponse<String> r = send(() -> request(path(repository, "manifests", reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
                push(repository), HttpResponse.BodyHandlers.ofString());
        check(r, 201, "PUT of manifest " + reference + " in " + repository, r.body());
        Digest computed = Digest.sha256(manifest);
        return new ManifestPut(r.headers().firstValue("Docker-Content-Digest").map(RegistryClient::parse)
                .orElse(computed), r.headers().firstValue("OCI-Subject").orElse(null));
    }

    /**
     * Puts blob {@code digest} of {@code size} bytes into {@code repository}. With
     * {@code mountFrom}, a mount from that repository of the remote is asked first (no bytes
     * move if the remote has it there). Otherwise, or if the remote declines, the bytes are sent:
     * in one PUT when {@code chunkSize} is 0 or not smaller than {@code size}, else in PATCH
     * requests of {@code chunkSize} bytes. {@code source} is opened once per attempt and read
     * as a stream; the remote checks the digest.
     *
     * @throws RemoteException REJECTED if the remote refuses the bytes (a wrong digest or size)
     */
    public Upload pushBlob(String repository, Digest digest, long size, Supplier<InputStream> source, String mountFrom,
            long chunkSize) {
        return pushBlob(repository, digest, size, source, mountFrom, chunkSize, false);
    }

    /**
     * {@link #pushBlob(String, Digest, long, Supplier, String, long)} always in PATCH chunks of
     * {@code chunkSize} (a small blob in one), for a remote that refuses a blob in one PUT.
     */
    public Upload pushBlobChunked(String repository, Digest digest, long size, Supplier<InputStream> source,
            String mountFrom, long chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize must be positive");
        }
        return pushBlob(repository, digest, size, source, mountFrom, chunkSize, true);
    }

    private Upload pushBlob(String repository, Digest digest, long size, Supplier<InputStream> source, String mountFrom,
            long chunkSize, boolean alwaysChunked) {
        List<String> scopes = new ArrayList<>(push(repository));
        String start = path(repository, "blobs", "uploads") + "/";
        if (mountFrom != null && !mountFrom.equals(repository)) {
            scopes.addAll(pull(mountFrom));
            start += "?mount=" + encode(digest.toString()) + "&from=" + encode(mountFrom);
        }
        String first = start;
        HttpResponse<String> opened = send(() -> request(first).POST(HttpRequest.BodyPublishers.noBody()), scopes,
                HttpResponse.BodyHandlers.ofString());
        if (opened.statusCode() == 201 && mountFrom != null) {
            return Upload.MOUNTED;
        }
        check(opened, 202, "starting an upload to " + repository, opened.body());
        URI location = location(opened);
        List<InputStream> streams = new ArrayList<>();
        Supplier<InputStream> tracked = () -> {
            InputStream in = source.get();
            streams.add(in);
            return in;
        };
        try {
            if (!alwaysChunked && (chunkSize <= 0 || size <= chunkSize)) {
                HttpRequest.BodyPublisher body = size == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(tracked), size);
                HttpResponse<String> done = send(() -> HttpRequest.newBuilder(withDigest(location, digest))
                        .timeout(target.requestTimeout()).header("Content-Type", "application/octet-stream").PUT(body),
                        scopes, HttpResponse.BodyHandlers.ofString());
                check(done, 201, "uploading blob " + digest + " to " + repository, done.body());
            } else {
                chunked(repository, digest, size, tracked.get(), location, chunkSize, scopes);
            }
            return Upload.UPLOADED;
        } catch (RemoteException e) {
            cancel(location, scopes);
            throw e;
        } finally {
            streams.forEach(Bodies::closeQuietly);
        }
    }

    private void chunked(String repository, Digest digest, long size, InputStream in, URI location, long chunkSize,
            List<String> scopes) {
        URI at = location;
        long offset = 0;
        while (offset < size) {
            long n = Math.min(chunkSize, size - offset);
            Slice slice = new Slice(in, n);
            String range = offset + "-" + (offset + n - 1);
            URI here = at;
            HttpResponse<String> r = send(() -> HttpRequest.newBuilder(here).timeout(target.requestTimeout())
                    .header("Content-Type", "application/octet-stream").header("Content-Range", range)
                    .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> slice), n)), scopes,
                    HttpResponse.BodyHandlers.ofString());
            check(r, 202, "uploading bytes " + range + " of blob " + digest + " to " + repository, r.body());
            at = location(r);
            offset += n;
        }
        URI last = at;
        HttpResponse<String> done = send(() -> HttpRequest.newBuilder(withDigest(last, digest))
                .timeout(target.requestTimeout()).PUT(HttpRequest.BodyPublishers.noBody()), scopes,
                HttpResponse.BodyHandlers.ofString());
        check(done, 201, "completing the upload of blob " + digest + " to " + repository, done.body());
    }

    /** Sends a request (built anew for a retry), answering one 401 challenge as {@link RemoteAuth} says. */
    <T> HttpResponse<T> send(Supplier<HttpRequest.Builder> request, List<String> scopes,
            HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder b = request.get();
        boolean sent = auth.authorize(b, scopes);
        HttpResponse<T> r = exchange(b.build(), handler);
        if (r.statusCode() != 401) {
            return r;
        }
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse(null);
        discard(r);
        auth.challenged(challenge, scopes, sent);
        HttpRequest.Builder again = request.get();
        if (!auth.authorize(again, scopes)) {
            throw auth.refused(scopes);
        }
        r = exchange(again.build(), handler);
        if (r.statusCode() == 401) {
            discard(r);
            throw auth.refused(scopes);
        }
        return r;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw Failures.of(e, request.uri());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException(RemoteException.Reason.IO, "interrupted while talking to " + request.uri().getHost());
        }
    }

    /** The response, or the one its redirect (object storage) leads to, asked without credentials. */
    private HttpResponse<InputStream> followed(HttpResponse<InputStream> r, String method) {
        int s = r.statusCode();
        if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
            return r;
        }
        URI to = location(r);
        discard(r);
        return exchange(HttpRequest.newBuilder(to).timeout(target.requestTimeout())
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private void cancel(URI location, List<String> scopes) {
        try {
            discard(send(() -> HttpRequest.newBuilder(location).timeout(target.requestTimeout()).DELETE(), scopes,
                    HttpResponse.BodyHandlers.discarding()));
        } catch (RemoteException ignored) {
            // The remote purges abandoned uploads itself.
        }
    }

    /** Throws the right RemoteException unless {@code r} has status {@code expected}. */
    void check(HttpResponse<?> r, int expected, String what, String body) {
        int s = r.statusCode();
        if (s == expected) {
            return;
        }
        String why = what + " at " + target.url() + ": " + s + message(body);
        throw switch (s) {
            case 403 -> new RemoteException(RemoteException.Reason.FORBIDDEN, why, s, null);
            case 404 -> new RemoteException(RemoteException.Reason.NOT_FOUND, why, s, null);
            default -> new RemoteException(RemoteException.Reason.REJECTED, why, s, null);
        };
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(target.url() + path)).timeout(target.requestTimeout());
    }

    private URI location(HttpResponse<?> r) {
        String l = r.headers().firstValue("Location").orElseThrow(() -> new RemoteException(
                RemoteException.Reason.REJECTED, target.url() + " answered " + r.statusCode() + " without a Location",
                r.statusCode(), null));
        return r.uri().resolve(l);
    }

    private static URI withDigest(URI location, Digest digest) {
        String s = location.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + encode(digest.toString()));
    }

    static String path(String repository, String kind, String reference) {
        return "/v2/" + repository + "/" + kind + "/" + reference;
    }

    static List<String> pull(String repository) {
        return List.of("repository:" + repository + ":pull");
    }

    private static List<String> push(String repository) {
        return List.of("repository:" + repository + ":pull,push");
    }

    static Digest parse(String digest) {
        try {
            return Digest.parse(digest);
        } catch (RuntimeException e) {
            throw new RemoteException(RemoteException.Reason.REJECTED, "the remote named a digest that is not one: "
                    + digest);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
