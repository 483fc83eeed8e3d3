package io.jcorn.protocol.uwsgi;

/**
 * A uwsgi packet that cannot be served, with the HTTP status that says why: 400 for a malformed
 * packet (a size past its end, an empty name, a CONTENT_LENGTH that is no length), 414 and 431
 * for one over the request limits, 501 for a packet that is not a WSGI request. The stream
 * cannot be framed after one: the connection is closed.
 */
public final class UwsgiError extends Exception {
    private final int status;

    public UwsgiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
