package io.jcorn.protocol.http;

import java.io.IOException;

/**
 * A body that breaks its framing (a bad chunk size, a forbidden trailer), found while the app
 * reads it. An IOException so that it passes through {@link java.io.InputStream#read}; the
 * worker answers it with {@link #status()} if nothing was sent yet, and closes the connection.
 */
public final class BodyFramingException extends IOException {
    private final int status;

    public BodyFramingException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
