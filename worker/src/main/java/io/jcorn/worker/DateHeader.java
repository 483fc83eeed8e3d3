package io.jcorn.worker;

import java.nio.charset.StandardCharsets;

/** The {@code Date} header line, formatted once per second rather than once per response. */
final class DateHeader {
    private long second = -1;
    private byte[] line;

    /** "Date: ...\r\n" for the current second. */
    synchronized byte[] now() {
        long current = System.currentTimeMillis() / 1000;
        if (current != second) {
            second = current;
            line = ("Date: " + Timestamps.httpDate(current) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return line;
    }
}
