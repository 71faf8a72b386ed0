package io.berth.gateway.proxy;

import io.berth.security.net.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/**
 * Where a request came from, as the client sees the gateway: the external scheme and host (from
 * {@code Forwarded}, else {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}, else the
 * connection and {@code Host}) and the client's address (the connection's peer, or what a
 * trusted proxy says).
 */
public record Origin(String scheme, String host, String clientIp) {

    public static Origin of(HttpServerRequest request, TrustedProxies trusted) {
        String scheme = request.isSSL() ? "https" : "http";
        String host = request.authority() != null ? request.authority().toString() : request.getHeader("Host");
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String client = peer;
        String forwarded = request.getHeader("Forwarded");
        String fwdProto = null;
        String fwdHost = null;
        String fwdFor = null;
        if (forwarded != null) {
            // The first element is what the proxy nearest the client saw.
            String first = forwarded.split(",", 2)[0];
            for (String pair : first.split(";")) {
                String[] kv = pair.trim().split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                String value = kv[1].trim().replaceAll("^\"|\"$", "");
                switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                    case "proto" -> fwdProto = value;
                    case "host" -> fwdHost = value;
                    case "for" -> fwdFor = value;
                    default -> { }
                }
            }
        }
        if (fwdProto == null) {
            fwdProto = firstValue(request.getHeader("X-Forwarded-Proto"));
        }
        if (fwdHost == null) {
            fwdHost = firstValue(request.getHeader("X-Forwarded-Host"));
        }
        if (fwdFor == null) {
            fwdFor = firstValue(request.getHeader("X-Forwarded-For"));
        }
        if (fwdProto != null && (fwdProto.equalsIgnoreCase("http") || fwdProto.equalsIgnoreCase("https"))) {
            scheme = fwdProto.toLowerCase(Locale.ROOT);
        }
        if (fwdHost != null && fwdHost.matches("[A-Za-z0-9.\\-:\\[\\]]+")) {
            host = fwdHost;
        }
        if (fwdFor != null && trusted.trusts(peer)) {
            client = fwdFor.replaceAll("^\\[|\\](:\\d+)?$", "");
        }
        return new Origin(scheme, host == null ? "localhost" : host, client);
    }

    private static String firstValue(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        return header.split(",", 2)[0].trim();
    }
}
