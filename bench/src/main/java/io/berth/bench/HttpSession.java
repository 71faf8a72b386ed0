package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP to one registry, the way container clients do it: a request goes out with whatever
 * credentials are known for its scope; a 401 is answered once, with Basic credentials or a
 * token from the realm its {@code Bearer} challenge names (asked for with the credentials, or
 * anonymously), and the request is sent again. Tokens are kept per scope and fetched again when
 * the registry stops accepting them. Bodies are Vert.x buffers, so a retry resends the same bytes.
 */
final class HttpSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Vertx vertx;
    private final HttpClient http;
    private final URI base;
    private final String basicCredentials;
    private final Trace trace;
    private final String name;
    private final Map<String, Future<String>> tokens = new ConcurrentHashMap<>();
    private volatile boolean basic;

    /**
     * @param credentials {@code user:password}, or null for anonymous access
     * @param connections at most this many connections to the registry
     * @param trace where each download is recorded, under the registry's {@code name}
     */
    HttpSession(Vertx vertx, URI base, String credentials, int connections, Trace trace, String name) {
        this.vertx = vertx;
        this.trace = trace;
        this.name = name;
        this.base = base;
        this.basicCredentials = credentials == null ? null : basic(credentials);
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout(10_000)
                // A benchmark of a local registry with a self-signed certificate, as skopeo's
                // --tls-verify=false: the bytes are timed, not trusted.
                .setTrustAll(true)
                .setVerifyHost(false);
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    URI base() {
        return base;
    }

    /** A response read whole (manifests, lists, small answers). */
    record Response(int status, MultiMap headers, Buffer body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /**
     * Sends a request and reads its answer whole. Fails, with the method, the path, the status
     * and the start of the body, unless the status is one of {@code expected}.
     *
     * @param uri a path on the registry or an absolute URL (a Location the registry gave)
     * @param scope the token scope the request needs, e.g. {@code repository:a/b:pull,push}
     */
    Future<Response> call(HttpMethod method, String uri, MultiMap headers, Buffer body, String scope, int... expected) {
        return onEventLoop(() -> exchange(method, uri, headers, body, scope, null).compose(resp -> resp.body().compose(b -> {
            for (int status : expected) {
                if (resp.statusCode() == status) {
                    return Future.succeededFuture(new Response(status, resp.headers(), b));
                }
            }
            return Future.failedFuture(unexpected(method, uri, resp.statusCode(), b));
        })));
    }

    /**
     * Sends a request with exactly these headers and answers no challenge: what a client does
     * that sends its credentials up front ({@code curl -u}), and what a token request is. Fails as
     * {@link #call} does; a 401's {@code WWW-Authenticate} is in the message, so that a registry
     * that wants another scheme says which.
     *
     * @param uri a path on the registry or an absolute URL (a token service elsewhere)
     */
    Future<Response> send(HttpMethod method, String uri, MultiMap headers, int... expected) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(resolve(uri));
        if (headers != null) {
            options.setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers));
        }
        return onEventLoop(() -> http.request(options).compose(HttpClientRequest::send).compose(resp -> resp.body().compose(b -> {
            for (int status : expected) {
                if (resp.statusCode() == status) {
                    return Future.succeededFuture(new Response(status, resp.headers(), b));
                }
            }
            BenchException e = unexpected(method, uri, resp.statusCode(), b);
            String challenge = resp.getHeader("WWW-Authenticate");
            return Future.failedFuture(challenge == null ? e
                    : new BenchException(e.getMessage() + " (WWW-Authenticate: " + challenge + ")"));
        })));
    }

    /** The challenge of an anonymous {@code GET /v2/}: null when the registry answers without one. */
    Future<Challenge> challenge() {
        return send(HttpMethod.GET, "/v2/", null, 200, 401)
                .map(r -> r.status() == 401 ? Challenge.parse(r.header("WWW-Authenticate")) : null);
    }

    /** The {@code Authorization} value of Basic credentials {@code user:password}. */
    static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * GETs a body without keeping it, following a redirect (to an object store's presigned URL,
     * without the registry's credentials), and gives the number of bytes read.
     */
    Future<Long> download(String uri, MultiMap headers, String scope) {
        long start = System.nanoTime();
        return onEventLoop(() -> exchange(HttpMethod.GET, uri, headers, null, scope, null).compose(resp -> {
            if (REDIRECTS.contains(resp.statusCode()) && resp.getHeader(HttpHeaders.LOCATION) != null) {
                String location = resolve(resp.getHeader(HttpHeaders.LOCATION));
                return resp.body().compose(ignored -> http.request(new RequestOptions().setAbsoluteURI(location)))
                        .compose(HttpClientRequest::send)
                        .compose(redirected -> traced(start, redirected, count(HttpMethod.GET, location, redirected)));
            }
            return traced(start, resp, count(HttpMethod.GET, uri, resp));
        }));
    }

    private Future<Long> traced(long start, HttpClientResponse resp, Future<Long> bytes) {
        if (!trace.on()) {
            return bytes;
        }
        int port = resp.request().connection().localAddress().port();
        return bytes.onSuccess(n -> trace.download(name, port, n, start, System.nanoTime()));
    }

    /**
     * Runs a request's steps on an event loop. Called from another thread (the main thread starts
     * the first operation of each client, and every setup step), a response's callbacks are queued
     * to its context instead of running as it arrives, and a small body could be delivered and end
     * before the handler reading it was set: about one response in 40,000 came back empty.
     */
    private <T> Future<T> onEventLoop(java.util.function.Supplier<Future<T>> steps) {
        if (Vertx.currentContext() != null) {
            return steps.get();
        }
        Promise<T> done = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> steps.get().onComplete(done));
        return done.future();
    }

    private static Future<Long> count(HttpMethod method, String uri, HttpClientResponse resp) {
        if (resp.statusCode() != 200) {
            return resp.body().compose(b -> Future.failedFuture(unexpected(method, uri, resp.statusCode(), b)));
        }
        Promise<Long> done = Promise.promise();
        long[] bytes = {0};
        resp.handler(chunk -> bytes[0] += chunk.length());
        resp.exceptionHandler(done::tryFail);
        resp.endHandler(v -> done.tryComplete(bytes[0]));
        return done.future();
    }

    /**
     * One request; a 401 is answered once (a token fetched, or Basic credentials) and the request
     * sent again with exactly what the answer gave ({@code retry}), not with whatever another
     * request has meanwhile put in the token cache: when many requests meet one expired token at
     * once, their refetches overlap, and a retry that read the cache could find a fetch still
     * under way and go out without credentials.
     */
    private Future<HttpClientResponse> exchange(HttpMethod method, String uri, MultiMap headers, Buffer body,
            String scope, String retry) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(resolve(uri));
        if (headers != null) {
            options.setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers));
        }
        boolean retried = retry != null;
        String authorization = retried ? retry : authorization(scope);
        if (authorization != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        boolean sendsBody = body != null || method == HttpMethod.PUT || method == HttpMethod.POST || method == HttpMethod.PATCH;
        return http.request(options)
                .compose(req -> sendsBody ? req.send(body == null ? Buffer.buffer() : body) : req.send())
                .compose(resp -> {
                    if (resp.statusCode() != 401 || retried) {
                        return Future.succeededFuture(resp);
                    }
                    Challenge challenge = Challenge.parse(resp.getHeader("WWW-Authenticate"));
                    return resp.body()
                            .compose(ignored -> answer(challenge, scope))
                            .compose(answered -> exchange(method, uri, headers, body, scope, answered));
                });
    }

    private String authorization(String scope) {
        if (basic) {
            return basicCredentials;
        }
        Future<String> token = scope == null ? null : tokens.get(scope);
        return token != null && token.succeeded() ? "Bearer " + token.result() : null;
    }

    /** What the next attempt carries to answer the challenge: Basic credentials, or {@code Bearer <token>}. */
    private Future<String> answer(Challenge challenge, String scope) {
        if (challenge == null || (!challenge.isBasic() && !challenge.isBearer())) {
            return Future.failedFuture(new BenchException("401 with no Basic or Bearer challenge"));
        }
        if (challenge.isBasic()) {
            if (basicCredentials == null) {
                return Future.failedFuture(new BenchException("the registry asks for a user and password (--user)"));
            }
            basic = true;
            return Future.succeededFuture(basicCredentials);
        }
        String key = scope == null ? "" : scope;
        // Requests of one scope that meet the same expired token share one refetch.
        Future<String> token = tokens.compute(key, (k, current) ->
                current != null && !current.isComplete() ? current : fetchToken(challenge, scope));
        return token.map(t -> "Bearer " + t);
    }

    private Future<String> fetchToken(Challenge challenge, String scope) {
        String realm = challenge.realm();
        if (realm == null) {
            return Future.failedFuture(new BenchException("a Bearer challenge without a realm"));
        }
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        url.append("service=").append(encode(challenge.params().getOrDefault("service", "")));
        if (scope != null) {
            url.append("&scope=").append(encode(scope));
        }
        String asked = challenge.params().get("scope");
        if (asked != null && !asked.equals(scope)) {
            url.append("&scope=").append(encode(asked));
        }
        RequestOptions options = new RequestOptions().setAbsoluteURI(url.toString());
        if (basicCredentials != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, basicCredentials);
        }
        return http.request(options).compose(HttpClientRequest::send).compose(resp -> resp.body().compose(b -> {
            if (resp.statusCode() != 200) {
                return Future.failedFuture(new BenchException("the token service " + realm + " answered "
                        + resp.statusCode() + ": " + start(b)));
            }
            try {
                JsonNode json = JSON.readTree(b.getBytes());
                JsonNode token = json.hasNonNull("token") ? json.get("token") : json.get("access_token");
                if (token == null || token.asText().isEmpty()) {
                    return Future.failedFuture(new BenchException("the token service gave no token"));
                }
                return Future.succeededFuture(token.asText());
            } catch (java.io.IOException e) {
                return Future.failedFuture(new BenchException("the token service answered no JSON: " + start(b)));
            }
        }));
    }

    /** A path on the registry, or a URL it gave (absolute, or relative to it), as an absolute URL. */
    String resolve(String uri) {
        return base.resolve(uri).toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static BenchException unexpected(HttpMethod method, String uri, int status, Buffer body) {
        return new BenchException(method + " " + URI.create(uri).getPath() + ": " + status + " " + start(body));
    }

    private static String start(Buffer body) {
        String s = body.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Override
    public void close() {
        http.close();
    }
}
