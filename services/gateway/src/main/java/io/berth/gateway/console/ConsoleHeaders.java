package io.berth.gateway.console;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The security headers on every answer of the console's paths (ADR 0047 says why each
 * directive): a Content-Security-Policy that lets the page load only its own files and talk only
 * to its own origin and the Keycloak realm's, no sniffing, no referrer (the sign-in's code sits
 * in the callback URL), no framing.
 */
public final class ConsoleHeaders {

    private ConsoleHeaders() {}

    /** The headers, with {@code issuer}'s origin the one other origin the page may reach. */
    public static Map<String, String> of(URI issuer) {
        String idp = origin(issuer);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; font-src 'self'; connect-src 'self' " + idp + "; form-action 'self' " + idp
                + "; frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        return Map.copyOf(headers);
    }

    /**
     * {@code scheme://host[:port]} of an absolute http(s) URL, the port left out when it is the
     * scheme's default.
     *
     * @throws IllegalArgumentException if {@code url} is not an absolute http or https URL with a host
     */
    public static String origin(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("berth.gateway.console.oidc-issuer must be an absolute http(s) URL, not "
                    + url);
        }
        int port = url.getPort();
        boolean standard = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + (standard ? "" : ":" + port);
    }
}
