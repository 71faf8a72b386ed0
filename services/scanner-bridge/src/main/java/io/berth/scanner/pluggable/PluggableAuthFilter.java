package io.berth.scanner.pluggable;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only holders of {@code berth.scanner.pluggable.api-key} use the built-in scanner's
 * Pluggable Scanner API ({@code /scanner/...}): the key as {@code Authorization: Bearer}, as
 * {@code X-ScannerAdapter-API-Key}, or as the password of {@code Authorization: Basic} (any user
 * name), which are the three ways Harbor sends an adapter's credential. Compared in constant
 * time. With no key configured (the default), every request is 401 saying so: the scanner pulls
 * from whatever registry a request names, so it is never open to anyone who can reach the port.
 */
public class PluggableAuthFilter {

    static final String PREFIX = "/scanner/";
    static final int MIN_KEY = 16;
    private static final Logger LOG = Logger.getLogger(PluggableAuthFilter.class);

    private final byte[] key;

    public PluggableAuthFilter(PluggableConfig config) {
        String k = config.apiKey().orElse("");
        if (!k.isEmpty() && k.length() < MIN_KEY) {
            LOG.warnf("berth.scanner.pluggable.api-key is shorter than %d characters; the built-in scanner's"
                    + " Pluggable Scanner API stays off", MIN_KEY);
        }
        this.key = k.length() < MIN_KEY ? null : sha256(k);
    }

    @ServerRequestFilter(preMatching = true)
    public Response authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(PREFIX) && !path.equals("/scanner")) {
            return null;
        }
        if (key == null) {
            return challenge(SpecErrors.of(401, "the built-in scanner's Pluggable Scanner API is off: no"
                    + " berth.scanner.pluggable.api-key is configured"));
        }
        String presented = presented(request);
        if (presented == null) {
            return challenge(SpecErrors.of(401, "an API key is needed: Authorization: Bearer <key> or "
                    + "X-ScannerAdapter-API-Key: <key>"));
        }
        if (!MessageDigest.isEqual(key, sha256(presented))) {
            return challenge(SpecErrors.of(401, "the API key is not valid"));
        }
        return null;
    }

    private static String presented(ContainerRequestContext request) {
        String header = request.getHeaderString("X-ScannerAdapter-API-Key");
        if (header != null && !header.isEmpty()) {
            return header;
        }
        String authorization = request.getHeaderString("Authorization");
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static Response challenge(Response r) {
        return Response.fromResponse(r).header("WWW-Authenticate", "Bearer realm=\"berth-scanner\"").build();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
