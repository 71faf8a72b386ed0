package io.berth.scanner.scanners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiException;
import io.berth.scanner.adapter.AuthKind;
import java.io.IOException;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks the scanner API's bodies; every mistake is a 400 naming the field. */
final class ScannerRequests {

    static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    static final int MAX_NAME = 64;
    static final int MAX_URL = 2000;
    static final int MAX_SECRET = 4096;
    static final int MAX_DESCRIPTION = 1000;

    private ScannerRequests() {}

    static JsonNode object(ObjectMapper json, String body, Set<String> allowed) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.badRequest("unknown field " + f + "; the fields are " + String.join(", ", allowed));
            }
        }
        return node;
    }

    static String name(String name) {
        if (name == null || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name must be 1 to " + MAX_NAME
                    + " lower-case letters and digits, separated by single '.', '_' or '-'");
        }
        return name;
    }

    static String url(String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("url is required: the adapter's base URL (the one before /api/v1/metadata)");
        }
        if (url.length() > MAX_URL) {
            throw ApiException.badRequest("url is longer than " + MAX_URL + " characters");
        }
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("url is not a URL: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw ApiException.badRequest("url must be http:// or https:// with a host");
        }
        if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw ApiException.badRequest("url must have no user, query or fragment; credentials go in auth and secret");
        }
        return url.replaceAll("/+$", "");
    }

    static AuthKind auth(JsonNode node, AuthKind fallback) {
        JsonNode a = node.path("auth");
        if (a.isMissingNode() || a.isNull()) {
            return fallback;
        }
        return AuthKind.of(a.isTextual() ? a.asText() : null).orElseThrow(() ->
                ApiException.badRequest("auth is one of none, basic, bearer, api-key"));
    }

    /** The secret, checked against the auth kind; null when absent. */
    static String secret(JsonNode node, AuthKind auth) {
        JsonNode s = node.path("secret");
        if (s.isMissingNode() || s.isNull()) {
            return null;
        }
        if (!s.isTextual() || s.asText().isEmpty()) {
            throw ApiException.badRequest("secret must be a non-empty string");
        }
        String secret = s.asText();
        if (auth == AuthKind.NONE) {
            throw ApiException.badRequest("auth none takes no secret");
        }
        if (secret.length() > MAX_SECRET || secret.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("secret must be at most " + MAX_SECRET + " printable characters");
        }
        if (auth == AuthKind.BASIC && secret.indexOf(':') < 1) {
            throw ApiException.badRequest("a basic secret is user:password");
        }
        return secret;
    }

    static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode b = node.path(field);
        if (b.isMissingNode() || b.isNull()) {
            return fallback;
        }
        if (!b.isBoolean()) {
            throw ApiException.badRequest(field + " must be true or false");
        }
        return b.asBoolean();
    }

    static String text(JsonNode node, String field, String fallback, int max) {
        JsonNode t = node.path(field);
        if (t.isMissingNode()) {
            return fallback;
        }
        if (t.isNull()) {
            return null;
        }
        if (!t.isTextual() || t.asText().length() > max) {
            throw ApiException.badRequest(field + " must be a string of at most " + max + " characters");
        }
        return t.asText();
    }

    /** A scanner as the API shows it: never its secret, only whether one is set. */
    static Map<String, Object> view(ScannerRow r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", r.name());
        out.put("kind", r.kind());
        out.put("url", r.url());
        out.put("auth", r.auth().wire());
        out.put("secretSet", r.sealedSecret() != null);
        out.put("insecure", r.insecure());
        out.put("disabled", r.disabled());
        out.put("default", r.isDefault());
        out.put("description", r.description());
        out.put("createdAt", r.createdAt().toString());
        out.put("updatedAt", r.updatedAt().toString());
        return out;
    }
}
