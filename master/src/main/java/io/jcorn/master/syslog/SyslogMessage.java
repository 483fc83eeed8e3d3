package io.jcorn.master.syslog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A log line as Gunicorn's syslog handler sends it (Python's {@code SysLogHandler} with
 * Gunicorn's format): {@code <PRI>jcorn.PREFIX.NAME: [PID] MESSAGE} and a NUL byte, in UTF-8,
 * PRI being the facility times 8 plus the severity. No timestamp and no host name: syslogd adds
 * them. NAME is "error" for the error log and "access" for the access log.
 *
 * <p>Differs from Gunicorn: the tag starts with "jcorn." where Gunicorn writes "gunicorn." (a
 * syslog filter on the program name needs changing).
 */
public final class SyslogMessage {
    /** Gunicorn's {@code SYSLOG_FACILITIES}. */
    private static final Map<String, Integer> FACILITIES = Map.ofEntries(
            Map.entry("auth", 4), Map.entry("authpriv", 10), Map.entry("cron", 9), Map.entry("daemon", 3),
            Map.entry("ftp", 11), Map.entry("kern", 0), Map.entry("lpr", 6), Map.entry("mail", 2), Map.entry("news", 7),
            Map.entry("security", 4), Map.entry("syslog", 5), Map.entry("user", 1), Map.entry("uucp", 8),
            Map.entry("local0", 16), Map.entry("local1", 17), Map.entry("local2", 18), Map.entry("local3", 19),
            Map.entry("local4", 20), Map.entry("local5", 21), Map.entry("local6", 22), Map.entry("local7", 23));

    /** Python's {@code SysLogHandler.priority_map}, by Gunicorn's level names. */
    public enum Severity {
        CRITICAL(2), ERROR(3), WARNING(4), INFO(6), DEBUG(7);

        final int code;

        Severity(int code) {
            this.code = code;
        }

        /** A level as logback ("WARN") or the worker's log ("WARNING") names it; INFO for any other. */
        public static Severity of(String level) {
            return switch (level.toUpperCase(Locale.ROOT)) {
                case "CRITICAL", "FATAL" -> CRITICAL;
                case "ERROR" -> ERROR;
                case "WARN", "WARNING" -> WARNING;
                case "DEBUG", "TRACE" -> DEBUG;
                default -> INFO;
            };
        }
    }

    private SyslogMessage() {}

    /**
     * The code of a {@code --syslog-facility} name, case-insensitively.
     *
     * @throws IllegalArgumentException for a name Gunicorn does not know
     */
    public static int facility(String name) {
        Integer code = FACILITIES.get(name.toLowerCase(Locale.ROOT));
        if (code == null) {
            throw new IllegalArgumentException("--syslog-facility " + name + ": unknown facility name (one of "
                    + String.join(", ", facilities()) + ")");
        }
        return code;
    }

    /**
     * The tag before the ':': {@code jcorn.} and {@code --syslog-prefix}, else the process name
     * with ':' made '.', then {@code .} and the log's name.
     */
    public static String tag(String syslogPrefix, String procName, String logName) {
        String prefix = syslogPrefix != null && !syslogPrefix.isEmpty() ? syslogPrefix : procName.replace(':', '.');
        return "jcorn." + prefix + "." + logName;
    }

    /** One message's bytes, as sent. */
    public static byte[] format(int facility, Severity severity, String tag, long pid, String message) {
        String text = "<" + (facility * 8 + severity.code) + ">" + tag + ": [" + pid + "] " + message + "\0";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The facility names, for help texts. */
    public static List<String> facilities() {
        return FACILITIES.keySet().stream().sorted().toList();
    }
}
