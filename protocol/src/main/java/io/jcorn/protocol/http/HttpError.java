package io.jcorn.protocol.http;

/**
 * A request that cannot be served as sent, with the status that says why (400, 414, 431, 501,
 * 505). After one, the connection is closed: the stream can no longer be framed safely.
 */
public final class HttpError extends Exception {
    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
