package io.berth.gateway.proxy;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a request came from, as the client sees the gateway: the external scheme and host (from
 * {@code Forwarded}, else {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}, else the
 * connection and {@code Host}) and the client's address (the connection's peer, or what a
 * trusted proxy says).
 */
public record Origin(String scheme, String host, String clientIp) {

    /** Which peers may name the client's address: IP addresses and CIDR blocks. */
    public static final class TrustedProxies {
        private record Block(byte[] network, int bits) {}

        private final List<Block> blocks;

        public TrustedProxies(List<String> entries) {
            this.blocks = entries.stream().map(String::trim).filter(e -> !e.isEmpty()).map(TrustedProxies::block).toList();
        }

        private static Block block(String entry) {
            String[] parts = entry.split("/", 2);
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("a trusted proxy is an IP address or a CIDR block, not '" + entry + "'");
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
            return new Block(address, bits);
        }

        boolean trusts(String ip) {
            byte[] address = literal(ip);
            if (address == null) {
                return false;
            }
            for (Block b : blocks) {
                if (b.network().length == address.length && matches(b.network(), address, b.bits())) {
                    return true;
                }
            }
            return false;
        }

        private static boolean matches(byte[] network, byte[] address, int bits) {
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((network[i / 8] & mask) != (address[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** The bytes of an IP literal, without any DNS lookup; null for anything else. */
        private static byte[] literal(String ip) {
            String s = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
            if (!s.matches("[0-9a-fA-F:.]+") || s.isEmpty()) {
                return null;
            }
            try {
                return InetAddress.getByName(s).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }

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
