package io.jcorn.protocol;

import java.util.List;
import java.util.Map;

/**
 * The {@code start_response} callable handed to an {@link App}.
 *
 * <p>{@code status} is a status line without the version, such as {@code "200 OK"}; {@code headers}
 * are name/value pairs in the order they are to be sent ({@code Map.entry("Content-Type",
 * "text/plain")}). Hop-by-hop headers ({@code Connection}, {@code Transfer-Encoding}, ...) belong
 * to the server and must not be set by the app.
 */
@FunctionalInterface
public interface StartResponse {

    /**
     * Sets the response status and headers.
     *
     * <p>A second call is allowed only with {@code excInfo} (the error being handled) and only
     * before the headers went out; once they did, a call with {@code excInfo} rethrows it, as
     * PEP 3333 requires.
     */
    void start(String status, List<Map.Entry<String, String>> headers, Throwable excInfo);

    /** Sets the response status and headers (the usual, first call). */
    default void start(String status, List<Map.Entry<String, String>> headers) {
        start(status, headers, null);
    }
}
