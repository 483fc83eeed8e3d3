package io.jcorn.master.syslog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's log line as the worker writes it ({@code [time] [pid] [LEVEL] message}), read back by
 * the master so that a line a worker wrote reaches syslog with the worker's pid and level, as
 * Gunicorn's workers each send their own.
 *
 * @param pid      the worker's pid
 * @param severity its level
 * @param message  the text after the level
 */
public record WorkerLogLine(long pid, SyslogMessage.Severity severity, String message) {
    private static final Pattern LINE = Pattern.compile("\\[[^\\]]*] \\[(\\d{1,10})] \\[(DEBUG|INFO|WARNING|ERROR|CRITICAL)] (.*)", Pattern.DOTALL);

    /** The parts of {@code line} (without its line end), or null if it is not a worker's log line (JVM output, a thread dump). */
    public static WorkerLogLine parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) return null;
        return new WorkerLogLine(Long.parseLong(m.group(1)), SyslogMessage.Severity.valueOf(m.group(2)), m.group(3));
    }
}
