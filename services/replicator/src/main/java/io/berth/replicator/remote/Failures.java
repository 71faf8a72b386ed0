package io.berth.replicator.remote;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * Turns what java.net.http throws into a {@link RemoteException} with the reason a person can act
 * on. The JDK wraps the real cause (an unresolved address is a {@code ConnectException} whose
 * cause is an {@code UnresolvedAddressException}), so the whole cause chain is read.
 */
final class Failures {

    private Failures() {}

    static RemoteException of(IOException e, URI uri) {
        String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
            return new RemoteException(RemoteException.Reason.DNS, "the host name " + uri.getHost()
                    + " does not resolve (DNS)", 0, e);
        }
        if (has(e, HttpConnectTimeoutException.class)) {
            return new RemoteException(RemoteException.Reason.TIMEOUT, "no connection to " + host
                    + " within the connect timeout", 0, e);
        }
        if (has(e, HttpTimeoutException.class)) {
            return new RemoteException(RemoteException.Reason.TIMEOUT, host + " accepted the connection but did not"
                    + " answer within the request timeout", 0, e);
        }
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            String why = tls.getMessage() == null ? tls.getClass().getSimpleName() : tls.getMessage();
            boolean untrusted = why.contains("PKIX") || why.contains("certificate") || why.contains("No subject alternative");
            return new RemoteException(RemoteException.Reason.TLS, "TLS with " + host + " failed: " + why
                    + (untrusted ? "; if the registry uses a self-signed certificate, mark the endpoint insecure" : ""),
                    0, e);
        }
        if (has(e, ConnectException.class)) {
            return new RemoteException(RemoteException.Reason.CONNECTION_REFUSED, "nothing accepts connections at "
                    + host + " (connection refused)", 0, e);
        }
        return new RemoteException(RemoteException.Reason.IO, "the exchange with " + host + " failed: " + e, 0, e);
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        return find(e, type) != null;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
