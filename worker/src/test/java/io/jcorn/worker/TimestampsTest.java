package io.jcorn.worker;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written times match what the JDK's formatters write, over a range of instants. */
class TimestampsTest {
    private static final DateTimeFormatter LOG = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter HTTP = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(java.time.ZoneOffset.UTC);
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());

    @Test
    void matchTheJdksFormatters() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long millis = 1_000_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 4_000_000_000_000L;
            Instant instant = Instant.ofEpochMilli(millis);
            assertEquals(LOG.format(instant), Timestamps.logTime(millis));
            assertEquals(CLF.format(instant), Timestamps.accessLogTime(millis));
            String http = Timestamps.httpDate(millis / 1000);
            // RFC_1123 writes days below 10 without a leading zero; IMF-fixdate has it
            assertEquals(HTTP.format(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                    http.charAt(5) == '0' ? http.substring(0, 5) + http.substring(6) : http);
        }
        assertEquals("Wed, 25 Nov 2026 10:29:16 GMT", Timestamps.httpDate(1795602556L));
    }
}
