package io.berth.security.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which peers may name the client's address ({@code X-Forwarded-For}): IP addresses and CIDR
 * blocks. The gateway uses it for its rate limits and access log; auth for counting failed
 * logins per client address behind the gateway and registry-api. Nothing here looks up a name.
 */
public final class TrustedProxies {

    private record Block(byte[] network, int bits) {}

    private final List<Block> blocks;

    /**
     * @param entries IP addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}); blank ones are skipped
     * @throws IllegalArgumentException if an entry is neither
     */
    public TrustedProxies(List<String> entries) {
        this.blocks = entries.stream().map(String::trim).filter(e -> !e.isEmpty()).map(TrustedProxies::block).toList();
    }

    private static Block block(String entry) {
        String[] parts = entry.split("/", 2);
        byte[] address = literal(parts[0]);
        if (address == null) {
            throw new IllegalArgumentException("a trusted proxy is an IP address or a CIDR block, not '" + entry + "'");
        }
        int bits;
        try {
            bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a trusted proxy is an IP address or a CIDR block, not '" + entry + "'");
        }
        if (bits < 0 || bits > address.length * 8) {
            throw new IllegalArgumentException("the prefix length of '" + entry + "' is out of range");
        }
        return new Block(address, bits);
    }

    /** Whether {@code ip} (a literal, possibly in brackets) is one of the trusted proxies. */
    public boolean trusts(String ip) {
        byte[] address = ip == null ? null : literal(ip);
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

    /**
     * The client of a request that arrived from {@code peer} with {@code forwardedFor}: walking the
     * chain from its right end (the hop nearest to us), each address a trusted proxy added is
     * believed, and the first one that is not a trusted proxy is the client. A chain that a
     * client wrote itself is therefore only believed as far as a trusted proxy vouches for it.
     *
     * @param forwardedFor the {@code X-Forwarded-For} header, or null
     * @param peer the connection's peer address
     * @return the client's address; {@code peer} when it is not trusted or there is no chain
     */
    public String client(String forwardedFor, String peer) {
        String client = peer;
        if (forwardedFor == null || !trusts(peer)) {
            return client;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim().replaceAll("^\\[|\\](:\\d+)?$", "");
            if (hop.isEmpty() || literal(hop) == null) {
                // Not an address (a name, "unknown", garbage): the chain is not to be believed past here.
                return client;
            }
            client = hop;
            if (!trusts(hop)) {
                return hop;
            }
        }
        return client;
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
        if (s.isEmpty() || !s.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
