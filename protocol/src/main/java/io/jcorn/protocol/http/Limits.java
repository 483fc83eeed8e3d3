package io.jcorn.protocol.http;

/**
 * Bounds on a request head, with Gunicorn's names and defaults.
 *
 * @param requestLine      longest request line in bytes, 0 for no limit ({@code --limit-request-line})
 * @param requestFields    most header fields, 0 for no limit ({@code --limit-request-fields})
 * @param requestFieldSize longest header line in bytes, 0 for no limit ({@code --limit-request-field_size})
 */
public record Limits(int requestLine, int requestFields, int requestFieldSize) {
    public static final Limits DEFAULT = new Limits(4094, 100, 8190);
}
