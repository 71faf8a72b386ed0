package io.berth.events;

/**
 * The client address an event records ({@code clientIp}): the first address of
 * {@code X-Forwarded-For}, which the gateway sets in front of every service, else the
 * connection's peer. It says where a request came from for the audit log; it proves nothing.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * @param forwardedFor the request's {@code X-Forwarded-For} header, or null
     * @param peer the connection's peer address, or null
     * @return the first forwarded address, else {@code peer} (null when neither is known)
     */
    public static String of(String forwardedFor, String peer) {
        if (forwardedFor != null) {
            String first = forwardedFor.split(",", 2)[0].trim();
            if (!first.isEmpty()) {
                return first;
            }
        }
        return peer;
    }
}
