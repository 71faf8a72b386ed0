package io.berth.gateway.proxy;

/**
 * One upstream instance at one address.
 *
 * @param key a short stable name for it, carried in upload locations for stickiness
 * @param authority {@code host:port} as configured, which {@code Location} headers may name
 */
public record Instance(String key, boolean ssl, String host, String address, int port, String authority) {}
