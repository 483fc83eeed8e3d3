package io.jcorn.worker;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The times a worker writes: its log lines' (Gunicorn's {@code 2026-11-25 10:29:16 +0000}), the
 * {@code Date} header's (RFC 9110 IMF-fixdate) and the access log's ({@code [25/Nov/2026:10:29:16
 * +0000]}). Written field by field: a {@code DateTimeFormatter} costs 40-50 ms of a worker's boot
 * the first time it is built and used, which is a sixth of the time from spawn to serving.
 */
final class Timestamps {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
            "Oct", "Nov", "Dec"};
    private static final ZoneId LOCAL = ZoneId.systemDefault();

    private Timestamps() {}

    /** Local time with its offset, as Gunicorn's log lines have it. */
    static String logTime(long epochMillis) {
        ZoneOffset offset = offset(epochMillis);
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, offset);
        StringBuilder s = new StringBuilder(25).append(t.getYear()).append('-');
        two(s, t.getMonthValue()).append('-');
        two(s, t.getDayOfMonth()).append(' ');
        return time(s, t).append(' ').append(offsetText(offset)).toString();
    }

    /** RFC 9110's IMF-fixdate: {@code Wed, 25 Nov 2026 10:29:16 GMT}. */
    static String httpDate(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder s = new StringBuilder(29).append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        two(s, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ')
                .append(t.getYear()).append(' ');
        return time(s, t).append(" GMT").toString();
    }

    /** The common log format's {@code [25/Nov/2026:10:29:16 +0000]}, in local time. */
    static String accessLogTime(long epochMillis) {
        ZoneOffset offset = offset(epochMillis);
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, offset);
        StringBuilder s = new StringBuilder(28).append('[');
        two(s, t.getDayOfMonth()).append('/').append(MONTHS[t.getMonthValue() - 1]).append('/')
                .append(t.getYear()).append(':');
        return time(s, t).append(' ').append(offsetText(offset)).append(']').toString();
    }

    private static ZoneOffset offset(long epochMillis) {
        return LOCAL.getRules().getOffset(Instant.ofEpochMilli(epochMillis));
    }

    private static StringBuilder time(StringBuilder s, LocalDateTime t) {
        two(s, t.getHour()).append(':');
        two(s, t.getMinute()).append(':');
        return two(s, t.getSecond());
    }

    /** {@code +hhmm}, as the pattern letter Z writes it. */
    private static String offsetText(ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        int minutes = Math.abs(seconds) / 60;
        StringBuilder s = new StringBuilder(5).append(seconds < 0 ? '-' : '+');
        two(s, minutes / 60);
        return two(s, minutes % 60).toString();
    }

    private static StringBuilder two(StringBuilder s, int value) {
        return s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
