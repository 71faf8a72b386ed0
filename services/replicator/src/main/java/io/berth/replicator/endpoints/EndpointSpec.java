package io.berth.replicator.endpoints;

/**
 * What a system administrator asks an endpoint to be, checked ({@link EndpointRequests}).
 *
 * @param username null for anonymous access
 * @param password the new password in clear, or null: none (anonymous), or, on an update that
 *     keeps the user name, the stored one
 */
public record EndpointSpec(String name, EndpointType type, String url, boolean insecure, String username,
        String password, String description) {

    @Override
    public String toString() {
        return "EndpointSpec[" + name + " " + type.wire() + " " + url + (username == null ? "" : " user " + username) + "]";
    }
}
