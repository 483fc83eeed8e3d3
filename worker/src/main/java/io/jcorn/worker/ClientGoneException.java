package io.jcorn.worker;

import java.io.IOException;

/** Writing to the client failed: it closed or reset the connection. Not the app's fault. */
final class ClientGoneException extends IOException {
    ClientGoneException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
