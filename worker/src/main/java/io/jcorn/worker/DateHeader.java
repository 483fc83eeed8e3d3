package io.jcorn.worker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} header line, formatted once per second rather than once per response. */
final class DateHeader {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private long second = -1;
    private byte[] line;

    /** "Date: ...\r\n" for the current second. */
    synchronized byte[] now() {
        long current = System.currentTimeMillis() / 1000;
        if (current != second) {
            second = current;
            line = ("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(current)) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return line;
    }
}
