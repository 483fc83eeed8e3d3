package io.jcorn.worker;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The worker's log: Gunicorn's line shape, {@code [time] [pid] [LEVEL] message}, on stderr (which
 * the worker shares with the master). A logging framework would cost the worker boot time and
 * memory for what is one line format.
 */
final class Log {
    enum Level { DEBUG, INFO, WARNING, ERROR, CRITICAL }

    private static final long PID = ProcessHandle.current().pid();
    private static volatile Level threshold = Level.INFO;
    private static final Object LOCK = new Object();
    private static volatile PrintStream out = System.err;
    private static String file;

    private Log() {}

    static void setLevel(String name) {
        threshold = switch (name.toLowerCase()) {
            case "debug" -> Level.DEBUG;
            case "warning", "warn" -> Level.WARNING;
            case "error" -> Level.ERROR;
            case "critical" -> Level.CRITICAL;
            default -> Level.INFO;
        };
    }

    /** Logs to {@code path} (appending) instead of stderr; "-" or empty keeps stderr. */
    static void toFile(String path) throws java.io.IOException {
        if (path == null || path.isEmpty() || path.equals("-")) return;
        file = path;
        reopen();
    }

    /** USR1: reopens the log file, so a rotated file is let go and a new one started. */
    static void reopen() throws java.io.IOException {
        if (file == null) return;
        PrintStream reopened = new PrintStream(new java.io.FileOutputStream(file, true), true, java.nio.charset.StandardCharsets.UTF_8);
        PrintStream old;
        synchronized (LOCK) {
            old = out;
            out = reopened;
        }
        if (old != System.err) old.close();
    }

    static boolean debugEnabled() {
        return threshold == Level.DEBUG;
    }

    static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    static void info(String message) {
        log(Level.INFO, message, null);
    }

    static void warning(String message) {
        log(Level.WARNING, message, null);
    }

    static void error(String message, Throwable cause) {
        log(Level.ERROR, message, cause);
    }

    private static void log(Level level, String message, Throwable cause) {
        if (level.compareTo(threshold) < 0) return;
        StringBuilder line = new StringBuilder(96 + message.length())
                .append('[').append(Timestamps.logTime(System.currentTimeMillis())).append("] [").append(PID).append("] [")
                .append(level).append("] ").append(message).append('\n');
        if (cause != null) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        synchronized (LOCK) {
            out.print(line);
            out.flush();
        }
    }
}
