package io.berth.scanner.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Pushes an {@link SbomArtifact} to an OCI registry (registry-api, by default) as any client
 * does, with a bearer token: each blob unless it is there already ({@code HEAD}, then
 * {@code POST} to open an upload and {@code PUT ?digest=} with the bytes), then the manifest
 * {@code PUT} by digest. Pushing the same artifact again changes nothing: the blobs exist, and
 * the manifest is the same bytes under the same digest.
 */
public final class RegistryPusher {

    private static final int MAX_ERROR_BODY = 512;

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    public RegistryPusher(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The registry pushed to. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Pushes {@code artifact} into {@code repository}.
     *
     * @param token the bearer token (pull and push on the repository)
     * @throws RegistryPushException if the registry cannot be reached or refuses a step
     */
    public void push(String repository, SbomArtifact artifact, String token) throws RegistryPushException {
        String auth = "Bearer " + token;
        blob(repository, SbomArtifact.EMPTY_DIGEST, SbomArtifact.EMPTY, auth);
        blob(repository, artifact.sbomDigest(), artifact.sbom(), auth);
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + artifact.digest()))
                .header("Authorization", auth).header("Content-Type", SbomArtifact.MANIFEST_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(artifact.manifest())), "the manifest PUT");
        if (put.statusCode() != 201) {
            throw refused("the manifest PUT of " + artifact.digest(), put);
        }
    }

    private void blob(String repository, String digest, byte[] bytes, String auth) throws RegistryPushException {
        String path = "/v2/" + repository + "/blobs/";
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri(path + digest)).header("Authorization", auth)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), "the blob HEAD");
        if (head.statusCode() == 200) {
            return;
        }
        if (head.statusCode() != 404) {
            throw refused("the blob HEAD of " + digest, head);
        }
        HttpResponse<String> start = send(HttpRequest.newBuilder(uri(path + "uploads/")).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.noBody()), "the upload POST");
        String location = start.headers().firstValue("Location").orElse(null);
        if (start.statusCode() != 202 || location == null) {
            throw refused("the upload POST for " + digest, start);
        }
        URI target = uri("/").resolve(location);
        String query = "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8);
        target = URI.create(target + (target.getRawQuery() == null ? "?" : "&") + query);
        HttpResponse<String> done = send(HttpRequest.newBuilder(target).header("Authorization", auth)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                "the upload PUT");
        if (done.statusCode() != 201) {
            throw refused("the upload PUT of " + digest, done);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String step) throws RegistryPushException {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryPushException("the registry at " + baseUrl + " cannot be reached (" + step + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryPushException("interrupted during " + step, e);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private RegistryPushException refused(String step, HttpResponse<String> answer) {
        String body = answer.body() == null ? "" : answer.body().strip();
        if (body.length() > MAX_ERROR_BODY) {
            body = body.substring(0, MAX_ERROR_BODY) + "...";
        }
        return new RegistryPushException("the registry at " + baseUrl + " answered " + answer.statusCode() + " to " + step
                + (body.isEmpty() ? "" : ": " + body));
    }
}
