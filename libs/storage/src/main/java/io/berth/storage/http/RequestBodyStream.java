package io.berth.storage.http;

import io.berth.storage.ByteSource;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking {@link InputStream} over a Vert.x request body, for the worker thread that streams
 * an upload into storage.
 *
 * <p>Quarkus REST's own stream asks the connection for one buffer at a time, so every few
 * kilobytes the worker waits for a round trip to the event loop; a push then crawls at about
 * 60 MB/s. Here the request flows freely into a bounded queue: the event loop pauses it once
 * {@link #HIGH_WATER} bytes wait unread, and the reader resumes it when the queue has drained
 * to {@link #LOW_WATER}. Memory per request stays bounded, and the reader rarely waits.
 *
 * <p>Nothing flows until the first read, so a request refused before its body is read (a wrong
 * {@code Content-Range}, an unknown session) does not pull the body in. {@link #close()} discards
 * what was not read, so the connection stays usable for the next request.
 */
final class RequestBodyStream extends InputStream {

    /** Unread bytes at which the connection is paused (part of what an upload reserves). */
    static final int HIGH_WATER = ByteSource.MAX_QUEUED_BYTES;
    /** Unread bytes at which a paused connection is resumed. */
    static final int LOW_WATER = 1024 * 1024;

    private final HttpServerRequest request;
    private final long idleTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private long queued;
    private boolean flowing;
    private boolean paused = true;
    private boolean ended;
    private boolean closed;
    private Throwable failure;
    private Buffer current;
    private int position;

    private RequestBodyStream(HttpServerRequest request, Duration idleTimeout) {
        this.request = request;
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    /**
     * The body of {@code request}, which must still be paused (Quarkus REST pauses every request
     * until its resource method runs).
     *
     * @param idleTimeout how long a read waits for the client's next bytes before it fails
     */
    static RequestBodyStream of(HttpServerRequest request, Duration idleTimeout) {
        var stream = new RequestBodyStream(request, idleTimeout);
        if (request.isEnded()) {
            stream.ended = true;
            stream.flowing = true;
            return stream;
        }
        request.handler(stream::onData);
        request.endHandler(v -> stream.onEnd());
        request.exceptionHandler(stream::onFailure);
        return stream;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the request body stream is closed");
            }
            if (!flowing) {
                flowing = true;
                sendContinueIfExpected(request);
                resume();
            }
            while (current == null) {
                current = queue.poll();
                position = 0;
                if (current != null) {
                    break;
                }
                if (failure != null) {
                    throw new IOException("the request body failed: " + failure.getMessage(), failure);
                }
                if (ended) {
                    return -1;
                }
                awaitData();
            }
            int n = Math.min(len, current.length() - position);
            current.getBytes(position, position + n, b, off);
            position += n;
            queued -= n;
            if (position == current.length()) {
                current = null;
            }
            if (paused && queued <= LOW_WATER) {
                resume();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queued);
        } finally {
            lock.unlock();
        }
    }

    /** Drops what was not read and lets the rest of the body drain, so the connection can go on. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            current = null;
            queued = 0;
            if (ended || failure != null) {
                return;
            }
            request.handler(ignored -> { });
            request.resume();
        } finally {
            lock.unlock();
        }
    }

    private void awaitData() throws IOException {
        long remaining = idleTimeoutNanos;
        while (queue.isEmpty() && !ended && failure == null) {
            if (remaining <= 0) {
                failure = new IOException("no bytes arrived for " + Duration.ofNanos(idleTimeoutNanos).toMillis() + " ms");
                // The rest of this body will never be read: the connection ends with the answer,
                // rather than staying open for a client that has stopped sending.
                request.response().putHeader("Connection", "close")
                        .bodyEndHandler(sent -> request.connection().close());
                throw (IOException) failure;
            }
            try {
                remaining = changed.awaitNanos(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the request body");
            }
        }
    }

    // The event loop's side: queue, and pause once the reader has fallen HIGH_WATER behind. Pause
    // and resume are only called under the lock, so they reach Vert.x in the order the flag
    // records (Vert.x calls this handler holding none of its own locks, so the order is safe).
    private void onData(Buffer data) {
        lock.lock();
        try {
            if (closed || data.length() == 0) {
                return;
            }
            queue.add(data);
            queued += data.length();
            if (!paused && queued >= HIGH_WATER) {
                paused = true;
                request.pause();
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    // Under the lock.
    private void resume() {
        paused = false;
        request.resume();
    }

    private void onEnd() {
        lock.lock();
        try {
            ended = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void onFailure(Throwable t) {
        lock.lock();
        try {
            if (failure == null) {
                failure = t;
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A client that sent {@code Expect: 100-continue} waits for this before it sends the body. */
    static void sendContinueIfExpected(HttpServerRequest request) {
        String expect = request.getHeader("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue") && !request.response().headWritten()) {
            request.response().writeContinue();
        }
    }
}
