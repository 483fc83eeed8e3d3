package io.jcorn.worker;

import io.jcorn.protocol.AccessLogFormat;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --access-logfile}: one line per request in {@code --access-logformat}, written with a
 * single {@code write} to a file opened for appending, so the lines of all workers interleave
 * whole. USR1 reopens the file.
 */
final class AccessLog {
    /** No access log: nothing is rendered or written. */
    static final AccessLog OFF = new AccessLog(null, AccessLogFormat.compile(""));

    private static final String PID = "<" + ProcessHandle.current().pid() + ">";

    private final String path;
    private final AccessLogFormat format;
    private OutputStream out;
    private long lastSecond = -1;
    private String lastTime;

    private AccessLog(String path, AccessLogFormat format) {
        this.path = path;
        this.format = format;
    }

    /** The access log to {@code path} ("-": stdout; null or empty: none). */
    static AccessLog open(String path, String format) throws IOException {
        if (path == null || path.isEmpty()) return OFF;
        AccessLog log = new AccessLog(path, AccessLogFormat.compile(format));
        log.reopen();
        return log;
    }

    /** USR1: lets go of a rotated file and starts writing to a new one at the same path. */
    synchronized void reopen() throws IOException {
        if (path == null || path.equals("-")) {
            out = System.out;
            return;
        }
        OutputStream old = out;
        out = new FileOutputStream(path, true);
        if (old != null) old.close();
    }

    /** Logs the request whose {@code environ} got {@code response}, started at {@code startNanos}. */
    void log(Map<String, Object> environ, ResponseWriter response, long startNanos) {
        if (this == OFF) return;
        Request request = new Request(environ, response, System.nanoTime() - startNanos);
        String line = format.json() ? json(request) : text(request);
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                Log.warning("cannot write the access log " + path + ": " + e.getMessage());
            }
        }
    }

    private record Request(Map<String, Object> environ, ResponseWriter response, long nanos) {
        String get(String key) {
            Object value = environ.get(key);
            return value == null || value.toString().isEmpty() ? "-" : value.toString();
        }
    }

    private String text(Request request) {
        StringBuilder line = new StringBuilder(160);
        for (Object part : format.parts()) {
            if (part instanceof AccessLogFormat.Atom atom) line.append(atom(request, atom));
            else line.append(part);
        }
        return line.toString();
    }

    private String atom(Request r, AccessLogFormat.Atom atom) {
        long micros = r.nanos / 1000;
        return switch (atom.name()) {
            case "h" -> r.get("REMOTE_ADDR");
            case "l" -> "-";
            case "u" -> user(r.environ.get("HTTP_AUTHORIZATION"));
            case "t" -> time();
            case "r" -> r.get("REQUEST_METHOD") + " " + r.get("RAW_URI") + " " + r.get("SERVER_PROTOCOL");
            case "m" -> r.get("REQUEST_METHOD");
            case "U" -> r.get("PATH_INFO");
            case "q" -> r.get("QUERY_STRING");
            case "H" -> r.get("SERVER_PROTOCOL");
            case "s" -> Integer.toString(r.response.statusCode());
            case "B" -> Long.toString(r.response.bodyBytes());
            case "b" -> r.response.bodyBytes() == 0 ? "-" : Long.toString(r.response.bodyBytes());
            case "f" -> r.get("HTTP_REFERER");
            case "a" -> r.get("HTTP_USER_AGENT");
            case "T" -> Long.toString(micros / 1_000_000);
            case "M" -> Long.toString(micros / 1000);
            case "D" -> Long.toString(micros);
            case "L" -> String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
            case "p" -> PID;
            case "i" -> r.get("HTTP_" + atom.field().toUpperCase(Locale.ROOT).replace('-', '_'));
            case "o" -> orDash(r.response.header(atom.field()));
            case "e" -> orDash(System.getenv(atom.field()));
            default -> "-";
        };
    }

    private String json(Request r) {
        StringBuilder line = new StringBuilder(256).append('{');
        field(line, "time", Instant.now().toString()).append(',');
        field(line, "remote_addr", r.get("REMOTE_ADDR")).append(',');
        field(line, "user", user(r.environ.get("HTTP_AUTHORIZATION"))).append(',');
        field(line, "method", r.get("REQUEST_METHOD")).append(',');
        field(line, "uri", r.get("RAW_URI")).append(',');
        field(line, "protocol", r.get("SERVER_PROTOCOL")).append(',');
        line.append("\"status\":").append(r.response.statusCode()).append(',');
        line.append("\"bytes\":").append(r.response.bodyBytes()).append(',');
        line.append("\"duration_us\":").append(r.nanos / 1000).append(',');
        field(line, "referer", r.get("HTTP_REFERER")).append(',');
        field(line, "user_agent", r.get("HTTP_USER_AGENT")).append(',');
        line.append("\"pid\":").append(ProcessHandle.current().pid());
        return line.append('}').toString();
    }

    private static StringBuilder field(StringBuilder line, String name, String value) {
        line.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') line.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) line.append(String.format("\\u%04x", (int) c));
            else line.append(c);
        }
        return line.append('"');
    }

    // The time of the line, as Gunicorn's %(t)s: formatted once a second.
    private synchronized String time() {
        long now = System.currentTimeMillis();
        if (now / 1000 != lastSecond) {
            lastSecond = now / 1000;
            lastTime = Timestamps.accessLogTime(now);
        }
        return lastTime;
    }

    /** The user of an {@code Authorization: Basic} header, as Gunicorn's %(u)s; "-" for none. */
    static String user(Object authorization) {
        if (!(authorization instanceof String value) || !value.regionMatches(true, 0, "Basic ", 0, 6)) return "-";
        try {
            String pair = new String(Base64.getDecoder().decode(value.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon <= 0 ? "-" : pair.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "-";
        }
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
