package io.berth.replicator.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the endpoint API's bodies into an {@link EndpointSpec}; every mistake is a 400
 * naming the field. A body is
 * <pre>{"name", "type", "url", "insecure", "description",
 *  "credential": {"type": "basic"|"none", "username", "password"}}</pre>
 * On an update every field may be left out (it keeps its value); a credential of type basic with
 * the stored user name and no password keeps the stored password.
 */
@Singleton
public final class EndpointRequests {

    static final Set<String> FIELDS = Set.of("name", "type", "url", "insecure", "description", "credential");
    static final Set<String> CREDENTIAL_FIELDS = Set.of("type", "username", "password");
    static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    static final int MAX_NAME = 64;
    static final int MAX_URL = 2000;
    static final int MAX_USERNAME = 255;
    static final int MAX_PASSWORD = 4096;
    static final int MAX_DESCRIPTION = 1000;

    private final ObjectMapper json;

    public EndpointRequests(ObjectMapper json) {
        this.json = json;
    }

    /** A new endpoint from a create (or ping-before-save) body. */
    public EndpointSpec create(String body) {
        JsonNode node = object(body, FIELDS);
        EndpointType type = type(required(node, "type", "one of " + EndpointType.names()));
        String url = node.has("url") ? url(text(node, "url")) : defaultUrl(type);
        Credential credential = credential(node.get("credential"), null);
        if (credential.username() != null && credential.password() == null) {
            throw ApiException.badRequest("credential.password is required with credential.type basic");
        }
        return new EndpointSpec(name(required(node, "name", "1 to " + MAX_NAME + " lower-case letters and digits")),
                type, url, bool(node, "insecure", false), credential.username(), credential.password(),
                description(node, null));
    }

    /** {@code current} changed as an update body says. */
    public EndpointSpec update(Endpoint current, String body) {
        JsonNode node = object(body, FIELDS);
        String name = node.has("name") ? name(text(node, "name")) : current.name();
        EndpointType type = node.has("type") ? type(text(node, "type")) : current.type();
        String url = node.has("url") ? url(text(node, "url")) : current.url();
        Credential credential = node.has("credential") ? credential(node.get("credential"), current)
                : new Credential(current.username(), null);
        return new EndpointSpec(name, type, url, bool(node, "insecure", current.insecure()), credential.username(),
                credential.password(), description(node, current.description()));
    }

    private record Credential(String username, String password) {}

    private Credential credential(JsonNode node, Endpoint current) {
        if (node == null || node.isNull()) {
            return new Credential(null, null);
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("credential must be an object: {\"type\": \"basic\", \"username\", \"password\"}"
                    + " or {\"type\": \"none\"}");
        }
        fieldsOf(node, CREDENTIAL_FIELDS, "credential.");
        String type = node.has("type") ? string(node.get("type"), "credential.type") : "basic";
        if (type.equals("none")) {
            if (node.has("username") || node.has("password")) {
                throw ApiException.badRequest("credential.type none takes no username or password");
            }
            return new Credential(null, null);
        }
        if (!type.equals("basic")) {
            throw ApiException.badRequest("credential.type must be basic or none, not " + type);
        }
        String username = string(node.get("username"), "credential.username");
        if (username == null || username.isEmpty() || username.length() > MAX_USERNAME || username.contains(":")
                || username.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("credential.username must be 1 to " + MAX_USERNAME
                    + " characters without ':' or control characters");
        }
        String password = node.has("password") ? string(node.get("password"), "credential.password") : null;
        if (password != null && (password.isEmpty() || password.length() > MAX_PASSWORD)) {
            throw ApiException.badRequest("credential.password must be 1 to " + MAX_PASSWORD + " characters");
        }
        if (password == null && (current == null || !username.equals(current.username()))) {
            throw ApiException.badRequest("credential.password is required when the user name is new");
        }
        return new Credential(username, password);
    }

    private JsonNode object(String body, Set<String> allowed) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        fieldsOf(node, allowed, "");
        return node;
    }

    private static void fieldsOf(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.badRequest("unknown field " + prefix + f + "; the fields are "
                        + String.join(", ", allowed.stream().sorted().map(a -> prefix + a).toList()));
            }
        }
    }

    static String name(String name) {
        if (name == null || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name must be 1 to " + MAX_NAME
                    + " lower-case letters and digits, separated by single '.', '_' or '-'");
        }
        return name;
    }

    static EndpointType type(String type) {
        return EndpointType.fromWire(type).orElseThrow(() -> ApiException.badRequest("type must be one of "
                + EndpointType.names() + (type == null ? "" : ", not " + type)));
    }

    /**
     * The registry's base URL, normalized: http or https, a host, no user info (credentials go in
     * {@code credential}, where they are encrypted), no query or fragment, no trailing slash, and
     * not the {@code /v2} path itself.
     */
    static String url(String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("url is required: the registry's base URL, e.g. https://registry.example.com");
        }
        if (url.length() > MAX_URL) {
            throw ApiException.badRequest("url is longer than " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badRequest("url must be http:// or https://, e.g. https://registry.example.com");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiException.badRequest("url has no host name");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.badRequest("url must not hold credentials; give them in credential, where they are encrypted");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw ApiException.badRequest("url must not have a query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        if (path.equals("/v2") || path.endsWith("/v2")) {
            throw ApiException.badRequest("url is the registry's base URL, without /v2");
        }
        return scheme + "://" + uri.getRawAuthority() + path;
    }

    private static String defaultUrl(EndpointType type) {
        if (type == EndpointType.DOCKER_HUB) {
            return EndpointType.DOCKER_HUB_URL;
        }
        throw ApiException.badRequest("url is required: the registry's base URL, e.g. https://registry.example.com");
    }

    private static String description(JsonNode node, String current) {
        if (!node.has("description")) {
            return current;
        }
        if (node.get("description").isNull()) {
            return null;
        }
        String d = text(node, "description");
        if (d.length() > MAX_DESCRIPTION) {
            throw ApiException.badRequest("description is longer than " + MAX_DESCRIPTION + " characters");
        }
        return d;
    }

    private static String required(JsonNode node, String field, String what) {
        if (!node.has(field) || node.get(field).isNull()) {
            throw ApiException.badRequest(field + " is required: " + what);
        }
        return text(node, field);
    }

    private static String text(JsonNode node, String field) {
        return string(node.get(field), field);
    }

    private static String string(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        return value.asText();
    }

    private static boolean bool(JsonNode node, String field, boolean otherwise) {
        JsonNode v = node.get(field);
        if (v == null) {
            return otherwise;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(field + " must be true or false");
        }
        return v.asBoolean();
    }
}
