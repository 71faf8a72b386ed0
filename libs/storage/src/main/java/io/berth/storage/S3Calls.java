package io.berth.storage;

import io.minio.errors.ErrorResponseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Blocks on the MinIO SDK's futures and translates their failures at the storage boundary, so no
 * SDK or okhttp type is ever thrown above this package (it stays reachable as the cause, for logs).
 */
final class S3Calls {

    /** The parts of an S3 error response that decide what it means to berth. */
    record S3Error(String code, int status, String message) {

        boolean is(String expected) {
            return expected.equals(code);
        }
    }

    /**
     * Turns an S3 error response into the exception the caller's contract names, or returns null
     * when the error means the store is unusable (then it becomes a StorageUnavailableException).
     */
    @FunctionalInterface
    interface Classifier {
        RuntimeException classify(S3Error error);
    }

    /** Every S3 error response is the store's problem. */
    static final Classifier UNAVAILABLE = error -> null;

    private S3Calls() {
    }

    /** A missing {@code blobs/<id>} object is {@link BlobNotFoundException}. */
    static Classifier blobUnknown(ObjectId id) {
        return error -> isMissing(error)
                ? new BlobNotFoundException(id, "blob object " + ObjectKeys.blob(id) + " does not exist")
                : null;
    }

    /** An unknown multipart upload of blob {@code id} is {@link BlobNotFoundException}. */
    static Classifier uploadUnknown(ObjectId id, String s3UploadId) {
        return error -> error.is("NoSuchUpload") || isMissing(error)
                ? new BlobNotFoundException(id, "multipart upload " + s3UploadId + " of "
                        + ObjectKeys.blob(id) + " is unknown to the object store")
                : null;
    }

    /** A 404 about the object; a missing bucket is the operator's problem, not a missing blob. */
    static boolean isMissing(S3Error error) {
        return error.is("NoSuchKey") || (error.status() == 404 && !error.is("NoSuchBucket"));
    }

    /**
     * Starts the call and waits for it. {@code call} is a supplier because the SDK can also fail
     * before it returns a future (argument checks, request signing).
     */
    static <T> T await(String action, Classifier classifier, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            throw translate(action, classifier, e);
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException(action + ": interrupted", e);
        } catch (ExecutionException | CompletionException e) {
            throw translate(action, classifier, e);
        }
    }

    /** How many times a replayable call is tried when the store answers that it failed itself. */
    static final int ATTEMPTS = 3;

    /**
     * Like {@link #await}, but tries the call again, up to {@link #ATTEMPTS} times in all, while the
     * store answers 500 or 503: S3 documents both as "try again", and a file-backed store answers
     * 500 when a delete and a write of one key cross. Only for calls that can be sent twice with
     * the same effect: reads, deletes, and writes whose whole body is in memory.
     */
    static <T> T awaitReplayable(String action, Classifier classifier, Supplier<CompletableFuture<T>> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return await(action, classifier, call);
            } catch (StorageUnavailableException e) {
                if (attempt >= ATTEMPTS || !storeFailedItself(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(20L << (2 * (attempt - 1)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Whether {@code e} reports a 500 or 503 answer from the store (not a refused connection). */
    static boolean storeFailedItself(StorageUnavailableException e) {
        ErrorResponseException response = find(e, ErrorResponseException.class);
        if (response == null || response.response() == null) {
            return false;
        }
        int status = response.response().code();
        return status == 500 || status == 503;
    }

    /** The exception to throw for {@code failure}, a failure of the SDK while doing {@code action}. */
    static RuntimeException translate(String action, Classifier classifier, Throwable failure) {
        Throwable cause = unwrap(failure);
        ErrorResponseException response = find(cause, ErrorResponseException.class);
        if (response != null) {
            var body = response.errorResponse();
            var error = new S3Error(
                    body == null ? null : body.code(),
                    response.response() == null ? 0 : response.response().code(),
                    body == null ? null : body.message());
            RuntimeException mapped = classifier.classify(error);
            if (mapped != null) {
                if (mapped.getCause() == null) {
                    mapped.initCause(cause);
                }
                return mapped;
            }
            return new StorageUnavailableException(
                    action + ": object store answered " + error.status() + " " + error.code()
                            + (error.message() == null ? "" : " (" + error.message() + ")"),
                    cause);
        }
        return new StorageUnavailableException(action + ": " + describe(cause), cause);
    }

    /** Sees through the wrappers the futures add. */
    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** The SDK wraps an error response in MinioException, sometimes twice; look down the chain. */
    private static <E extends Throwable> E find(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /** The root cause names what broke (connection refused, timeout); the wrappers add nothing. */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
