package io.berth.scanner.pull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Descriptor;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryException;
import io.berth.scanner.inventory.Layer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A small OCI Distribution pull client for the built-in scanner's Pluggable Scanner API: reads one
 * image manifest by digest and hands its layers to the inventory as streams, one blob GET each,
 * never whole in memory or on disk.
 *
 * <p>Authentication: the {@code Authorization} the scan request carries is sent as it is. When the
 * registry answers 401 with a {@code Bearer} challenge and that authorization is Basic (or absent),
 * the Docker token flow runs once: {@code GET realm?service=...&scope=repository:<repo>:pull} with
 * the Basic credentials, and the token it returns is used for every later request of the pull.
 * Redirects of blob GETs (a registry's 307 to object storage) are followed by hand, at most five,
 * and the {@code Authorization} is not sent to another origin.
 *
 * <p>Checks: the manifest's bytes must have the requested digest, must parse as an OCI or Docker
 * schema 2 image manifest (an index is {@link PullException.Reason#UNSUPPORTED}), and its config
 * must be an image config; each layer's digest is checked when its stream is read to the end.
 * Thread-safe; one instance serves every scan.
 */
public final class RegistryPuller {

    /** The largest manifest read (they are small JSON documents; distribution's limit is 4 MiB). */
    public static final int MAX_MANIFEST = 4 * 1024 * 1024;
    /** The largest token answer or image config read. */
    static final int MAX_SMALL = 4 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final String ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST,
            MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST);
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param connectTimeout how long a TCP/TLS connection may take
     * @param timeout how long a registry may take to answer one request (to its headers; a blob's
     *     body then streams for as long as it keeps moving)
     */
    public RegistryPuller(Duration connectTimeout, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
    }

    /**
     * Reads the image manifest {@code digest} of {@code repository} at {@code registryUrl} and its
     * config; the layers are opened later, when the inventory reads them.
     *
     * @param registryUrl the registry's base URL ({@code https://registry.example}), without {@code /v2}
     * @param authorization the {@code Authorization} header value to send, or null
     * @throws PullException naming what failed, see {@link PullException.Reason}
     */
    public PulledImage pull(String registryUrl, String authorization, String repository, String digest)
            throws PullException {
        Session s = new Session(base(registryUrl), repository, authorization);
        byte[] body;
        String contentType;
        try (Answer a = s.get("/v2/" + repository + "/manifests/" + digest, ACCEPT, "manifest " + digest)) {
            body = Bounded.read(a.body, MAX_MANIFEST, "the manifest " + digest);
            contentType = a.response.headers().firstValue("Content-Type").orElse(null);
        } catch (IOException e) {
            throw failure(e, s.base, "reading the manifest " + digest);
        }
        Manifest manifest;
        try {
            manifest = ManifestParser.parse(body, contentType, DigestAlgorithm.SHA256);
        } catch (RegistryException e) {
            throw new PullException(e.code() == io.berth.oci.RegistryErrorCode.UNSUPPORTED
                    ? PullException.Reason.UNSUPPORTED : PullException.Reason.INVALID,
                    "the manifest " + digest + " is not an image manifest berth can read: " + e.clientMessage());
        }
        if (!manifest.digest().toString().equals(digest)) {
            throw new PullException(PullException.Reason.INVALID, "the registry's manifest for " + digest
                    + " has the digest " + manifest.digest() + "; refusing it");
        }
        if (manifest.isIndex()) {
            throw new PullException(PullException.Reason.UNSUPPORTED, digest + " is an index ("
                    + manifest.mediaType() + "); scan each of its image manifests instead");
        }
        String configType = manifest.config().mediaType();
        if (!MediaTypes.OCI_CONFIG.equals(configType) && !MediaTypes.DOCKER_CONFIG.equals(configType)) {
            throw new PullException(PullException.Reason.UNSUPPORTED, digest + " is not a container image: its config is "
                    + configType);
        }
        Map<String, String> platform = config(s, manifest.config());
        List<Layer> layers = new ArrayList<>();
        for (Descriptor d : manifest.layers()) {
            // Foreign and non-distributable layers live elsewhere (Windows base layers); not scanned.
            if (d.mediaType().contains("foreign") || d.mediaType().startsWith(MediaTypes.OCI_NONDISTRIBUTABLE_LAYER_PREFIX)) {
                continue;
            }
            String layerDigest = d.digest().toString();
            layers.add(new Layer(layerDigest, d.mediaType(), () -> s.blob(layerDigest)));
        }
        return new PulledImage(digest, manifest.mediaType(), platform.get("os"), platform.get("architecture"), layers);
    }

    /** The config's {@code os} and {@code architecture}, read as a stream of tokens (a config can be large). */
    private Map<String, String> config(Session s, Descriptor config) throws PullException {
        Map<String, String> out = new HashMap<>();
        String digest = config.digest().toString();
        try (Answer a = s.get("/v2/" + s.repository + "/blobs/" + digest, "*/*", "config " + digest);
                InputStream in = new DigestCheckingInputStream(Bounded.limit(a.body, MAX_SMALL, "the config " + digest),
                        digest);
                JsonParser p = json.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new PullException(PullException.Reason.INVALID, "the config " + digest + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ((name.equals("os") || name.equals("architecture")) && value == JsonToken.VALUE_STRING) {
                    out.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
            in.transferTo(OutputNull.INSTANCE);
        } catch (IOException e) {
            throw failure(e, s.base, "reading the config " + digest);
        }
        return out;
    }

    private static URI base(String registryUrl) throws PullException {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(registryUrl, "registry url").replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new PullException(PullException.Reason.INVALID, "the registry URL is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new PullException(PullException.Reason.INVALID, "the registry URL must be http:// or https:// with a host");
        }
        return uri;
    }

    static PullException failure(IOException e, URI base, String doing) {
        if (e instanceof PullIOException p) {
            return p.pull;
        }
        String host = base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return new PullException(PullException.Reason.UNREACHABLE, "the registry " + host + " did not answer in time ("
                    + doing + ")", e);
        }
        if (e instanceof ConnectException) {
            return new PullException(PullException.Reason.UNREACHABLE, "cannot connect to the registry " + host + " ("
                    + doing + "): " + e.getMessage(), e);
        }
        if (e instanceof SSLException) {
            return new PullException(PullException.Reason.UNREACHABLE, "TLS with the registry " + host + " failed ("
                    + doing + "): " + e.getMessage(), e);
        }
        return new PullException(PullException.Reason.UNREACHABLE, "the registry " + host + " failed while "
                + doing + ": " + e, e);
    }

    /** A response whose body is open; closing it closes the body. */
    private record Answer(HttpResponse<InputStream> response, InputStream body) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** A PullException carried through an API that only throws IOException (Layer.Opener). */
    static final class PullIOException extends IOException {
        final transient PullException pull;

        PullIOException(PullException pull) {
            super(pull.getMessage(), pull);
            this.pull = pull;
        }
    }

    /** One pull: the registry, the repository and the authorization in use (exchanged for a token at most once). */
    private final class Session {
        final URI base;
        final String repository;
        final String original;
        volatile String current;
        volatile boolean exchanged;

        Session(URI base, String repository, String authorization) {
            this.base = base;
            this.repository = repository;
            this.original = authorization == null || authorization.isBlank() ? null : authorization;
            this.current = this.original;
        }

        InputStream blob(String digest) throws IOException {
            Answer a = get("/v2/" + repository + "/blobs/" + digest, "*/*", "layer " + digest);
            return new DigestCheckingInputStream(a.body, digest);
        }

        Answer get(String path, String accept, String what) throws IOException {
            URI uri = base.resolve(path);
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                boolean sameOrigin = sameOrigin(uri, base);
                HttpResponse<InputStream> r = send(uri, accept, sameOrigin ? current : null);
                int status = r.statusCode();
                if (status == 401 && sameOrigin && !exchanged && exchange(r)) {
                    r = send(uri, accept, current);
                    status = r.statusCode();
                }
                if (status == 200) {
                    return new Answer(r, r.body());
                }
                r.body().close();
                if (status >= 300 && status < 400 && r.headers().firstValue("Location").isPresent()) {
                    uri = uri.resolve(r.headers().firstValue("Location").get());
                    continue;
                }
                throw new PullIOException(switch (status) {
                    case 401 -> new PullException(PullException.Reason.UNAUTHORIZED, "the registry " + base.getAuthority()
                            + " refused the credentials for " + repository + " (401 on the " + what + ")");
                    case 403 -> new PullException(PullException.Reason.FORBIDDEN, "the registry " + base.getAuthority()
                            + " does not let these credentials pull " + repository + " (403 on the " + what + ")");
                    case 404 -> new PullException(PullException.Reason.NOT_FOUND, "the registry " + base.getAuthority()
                            + " has no " + what + " in " + repository);
                    default -> new PullException(PullException.Reason.UNREACHABLE, "the registry " + base.getAuthority()
                            + " answered " + status + " for the " + what + " of " + repository);
                });
            }
            throw new PullIOException(new PullException(PullException.Reason.UNREACHABLE, "the registry "
                    + base.getAuthority() + " redirected the " + what + " more than " + MAX_REDIRECTS + " times"));
        }

        private HttpResponse<InputStream> send(URI uri, String accept, String authorization) throws IOException {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET();
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        /** The Docker token flow, if the challenge is Bearer and what we hold is Basic or nothing. */
        private boolean exchange(HttpResponse<InputStream> challenged) throws IOException {
            challenged.body().close();
            String challenge = challenged.headers().firstValue("WWW-Authenticate").orElse("");
            if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)
                    || original != null && !original.regionMatches(true, 0, "Basic ", 0, 6)) {
                return false;
            }
            exchanged = true;
            Map<String, String> params = new HashMap<>();
            Matcher m = CHALLENGE_PARAM.matcher(challenge.substring(7));
            while (m.find()) {
                params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
            String realm = params.get("realm");
            if (realm == null) {
                return false;
            }
            StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
            if (params.containsKey("service")) {
                url.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
            }
            url.append("scope=").append(URLEncoder.encode("repository:" + repository + ":pull", StandardCharsets.UTF_8));
            URI tokenUri;
            try {
                tokenUri = URI.create(url.toString());
            } catch (IllegalArgumentException e) {
                throw new PullIOException(new PullException(PullException.Reason.INVALID,
                        "the registry's token realm is not a URL: " + realm));
            }
            HttpResponse<InputStream> r = send(tokenUri, "application/json", original);
            try (InputStream body = r.body()) {
                if (r.statusCode() == 401 || r.statusCode() == 403) {
                    throw new PullIOException(new PullException(r.statusCode() == 401 ? PullException.Reason.UNAUTHORIZED
                            : PullException.Reason.FORBIDDEN, "the registry's token service refused the credentials for "
                            + repository + " (" + r.statusCode() + ")"));
                }
                if (r.statusCode() != 200) {
                    throw new PullIOException(new PullException(PullException.Reason.UNREACHABLE,
                            "the registry's token service answered " + r.statusCode()));
                }
                JsonNode node;
                try {
                    node = json.readTree(Bounded.read(body, MAX_SMALL, "the token answer"));
                } catch (IOException e) {
                    throw new PullIOException(new PullException(PullException.Reason.INVALID,
                            "the registry's token service did not answer JSON"));
                }
                String token = node.path("token").asText(node.path("access_token").asText(""));
                if (token.isEmpty()) {
                    throw new PullIOException(new PullException(PullException.Reason.INVALID,
                            "the registry's token service answered no token"));
                }
                current = "Bearer " + token;
                return true;
            }
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
