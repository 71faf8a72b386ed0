package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The distribution-spec operations a client performs, over one {@link HttpSession}: blob
 * uploads (monolithic: POST then PUT with the body; chunked: POST, PATCHes with Content-Range,
 * a closing PUT), manifests, pulls, tag lists and the catalog. Every operation checks the status
 * the spec prescribes, so a registry that answers otherwise shows up as an error, not a speed.
 */
final class Registry {

    static final String ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MultiMap ACCEPT_HEADERS = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.ACCEPT, ACCEPT);

    private final HttpSession http;

    Registry(HttpSession http) {
        this.http = http;
    }

    HttpSession http() {
        return http;
    }

    static String scope(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    /** Uploads a blob; chunkSize 0 sends it whole in the PUT, otherwise in PATCHes of that size. */
    Future<Void> pushBlob(String repository, Payload.Blob blob, long chunkSize) {
        String scope = scope(repository);
        return http.call(HttpMethod.POST, "/v2/" + repository + "/blobs/uploads/", null, null, scope, 202)
                .compose(started -> {
                    String location = location(started);
                    if (chunkSize <= 0) {
                        return http.call(HttpMethod.PUT, withDigest(location, blob.digest()), octets(), blob.body(), scope, 201);
                    }
                    return patch(repository, blob, chunkSize, 0, location).compose(last ->
                            http.call(HttpMethod.PUT, withDigest(last, blob.digest()), null, null, scope, 201));
                })
                .mapEmpty();
    }

    /** PATCHes the blob from {@code offset} on, one chunk after another; gives the last Location. */
    private Future<String> patch(String repository, Payload.Blob blob, long chunkSize, long offset, String location) {
        if (offset >= blob.size()) {
            return Future.succeededFuture(location);
        }
        int length = (int) Math.min(chunkSize, blob.size() - offset);
        MultiMap headers = octets().add("Content-Range", offset + "-" + (offset + length - 1));
        return http.call(HttpMethod.PATCH, location, headers, blob.slice(offset, length), scope(repository), 202)
                .compose(r -> patch(repository, blob, chunkSize, offset + length, location(r)));
    }

    /** PUTs a manifest under a tag or digest. */
    Future<Void> putManifest(String repository, String reference, byte[] manifest, String mediaType) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.CONTENT_TYPE, mediaType);
        return http.call(HttpMethod.PUT, "/v2/" + repository + "/manifests/" + reference, headers,
                Buffer.buffer(manifest), scope(repository), 201).mapEmpty();
    }

    /** Pushes a one-layer image as a client does: the layer, the config, then the manifest under a tag. */
    Future<Long> pushImage(String repository, String tag, Payload.Blob layer, long chunkSize) {
        Image image = Image.of(layer);
        return pushBlob(repository, layer, chunkSize)
                .compose(v -> pushConfig(repository, image))
                .compose(v -> putManifest(repository, tag, image.manifest(), MediaTypes.OCI_MANIFEST))
                .map(layer.size());
    }

    private Future<Void> pushConfig(String repository, Image image) {
        String scope = scope(repository);
        return http.call(HttpMethod.POST, "/v2/" + repository + "/blobs/uploads/", null, null, scope, 202)
                .compose(r -> http.call(HttpMethod.PUT, withDigest(location(r), image.configDigest()), octets(),
                        Buffer.buffer(image.config()), scope, 201))
                .mapEmpty();
    }

    /** Pulls an image as a client does: the manifest, the config, then each layer; gives the layer bytes. */
    Future<Long> pullImage(String repository, String reference) {
        String scope = scope(repository);
        return http.call(HttpMethod.GET, "/v2/" + repository + "/manifests/" + reference, ACCEPT_HEADERS, null, scope, 200)
                .compose(r -> {
                    JsonNode manifest = json(r.body());
                    String config = manifest.path("config").path("digest").asText();
                    if (config.isEmpty()) {
                        return Future.failedFuture(new BenchException("GET manifest " + reference + " of " + repository
                                + ": no config in its " + r.body().length() + " bytes (Content-Length "
                                + r.header("Content-Length") + ")"));
                    }
                    Future<Long> bytes = blob(repository, config).map(0L);
                    for (JsonNode layer : manifest.path("layers")) {
                        String digest = layer.path("digest").asText();
                        long size = layer.path("size").asLong();
                        bytes = bytes.compose(sum -> blob(repository, digest).compose(n -> n == size
                                ? Future.succeededFuture(sum + n)
                                : Future.failedFuture(new BenchException("GET blob " + digest + ": " + n + " of " + size + " bytes"))));
                    }
                    return bytes;
                });
    }

    private Future<Long> blob(String repository, String digest) {
        return http.download("/v2/" + repository + "/blobs/" + digest, null, scope(repository));
    }

    /** GET or HEAD of a manifest by tag or digest; gives its length. */
    Future<Long> manifest(HttpMethod method, String repository, String reference) {
        return http.call(method, "/v2/" + repository + "/manifests/" + reference, ACCEPT_HEADERS, null, scope(repository), 200)
                .map(r -> (long) (method == HttpMethod.HEAD ? 0 : r.body().length()));
    }

    /**
     * GET of a manifest with Basic credentials sent up front and no token, as {@code curl -u}
     * does; a 401 is not answered but fails, with the registry's challenge in the message.
     */
    Future<Long> manifestWithBasic(String repository, String reference, String credentials) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.ACCEPT, ACCEPT)
                .add(HttpHeaders.AUTHORIZATION, HttpSession.basic(credentials));
        return http.send(HttpMethod.GET, "/v2/" + repository + "/manifests/" + reference, headers, 200)
                .map(r -> (long) r.body().length());
    }

    /** The tags of a repository, one page of at most {@code n} (0: the registry's default page). */
    Future<JsonNode> tags(String repository, int n) {
        String query = n > 0 ? "?n=" + n : "";
        return http.call(HttpMethod.GET, "/v2/" + repository + "/tags/list" + query, null, null, scope(repository), 200)
                .map(r -> json(r.body()));
    }

    /** The first {@code n} repositories of the catalog. */
    Future<JsonNode> catalog(int n) {
        return http.call(HttpMethod.GET, "/v2/_catalog?n=" + n, null, null, "registry:catalog:*", 200)
                .map(r -> json(r.body()));
    }

    private static MultiMap octets() {
        return MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
    }

    private static String location(HttpSession.Response r) {
        String location = r.header(HttpHeaders.LOCATION.toString());
        if (location == null || location.isEmpty()) {
            throw new BenchException("an upload answered " + r.status() + " without a Location");
        }
        return location;
    }

    static String withDigest(String location, Digest digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    }

    private static JsonNode json(Buffer body) {
        try {
            return JSON.readTree(body.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BenchException("not JSON: " + e.getMessage());
        }
    }
}
