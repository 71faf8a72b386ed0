package io.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port to another address, that a test can cut and restore: while it
 * is cut, nothing listens on its port and every connection it carried is closed, which is what a
 * service sees of a stopped PostgreSQL, without stopping the shared one.
 *
 * <p>Plain blocking sockets, two daemon threads per connection: a test's handful of pooled
 * connections, not a load.
 */
public final class TcpRelay implements AutoCloseable {

    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    /** A relay from 127.0.0.1:{@code port} to {@code targetHost:targetPort}, not yet listening. */
    public TcpRelay(int port, String targetHost, int targetPort) {
        this.port = port;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Listens and relays; nothing if it is already listening. */
    public synchronized TcpRelay start() {
        if (server != null) {
            return this;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        ServerSocket s = server;
        daemon("relay-accept-" + port, () -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(targetHost, targetPort);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // Closed by cut(), or the target refused: the client's socket closes with it.
                }
            }
        });
        return this;
    }

    /** Stops listening and closes every relayed connection: the target is "down". */
    public synchronized void cut() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** The port clients connect to. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        cut();
    }

    private void pump(Socket from, Socket to) {
        daemon("relay-pump-" + port, () -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // Either side closed.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void daemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Nothing to do.
        }
    }
}
