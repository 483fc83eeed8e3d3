package io.jcorn.protocol;

/**
 * The time bounds of one request, in seconds; 0 means none.
 *
 * @param request    from the request head's arrival to the end of its response ({@code --request-timeout}):
 *                   past it the client gets a 503 if nothing was sent yet, else the connection closes
 * @param headerRead for a whole request head to arrive, from its first byte or from the connection's
 *                   accept ({@code --header-read-timeout}): slowloris clients are closed
 * @param bodyRead   for each read of the request body ({@code --body-read-timeout})
 */
public record Timeouts(int request, int headerRead, int bodyRead) {
    public static final Timeouts DEFAULT = new Timeouts(0, 10, 30);
}
