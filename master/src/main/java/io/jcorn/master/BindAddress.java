package io.jcorn.master;

import java.nio.file.Path;

/** One {@code -b/--bind} address: {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code unix:PATH}. */
sealed interface BindAddress {
    int DEFAULT_PORT = 8000;

    record Tcp(String host, int port) implements BindAddress {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    record Unix(Path path) implements BindAddress {
        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /** Parses Gunicorn's address forms; a missing port is 8000, a missing host 0.0.0.0. */
    static BindAddress parse(String text) {
        if (text.startsWith("unix:")) {
            String path = text.substring("unix:".length());
            if (path.isEmpty()) throw new IllegalArgumentException("'" + text + "' names no socket path");
            return new Unix(Path.of(path));
        }
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("'" + text + "' has no closing ']'");
            String rest = text.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) throw new IllegalArgumentException("'" + text + "' is not [HOST]:PORT");
            return new Tcp(text.substring(1, close), rest.isEmpty() ? DEFAULT_PORT : port(text, rest.substring(1)));
        }
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && text.indexOf(':') != colon) {
            throw new IllegalArgumentException("'" + text + "': put an IPv6 address in brackets, as [::1]:8000");
        }
        String host = colon < 0 ? text : text.substring(0, colon);
        int port = colon < 0 ? DEFAULT_PORT : port(text, text.substring(colon + 1));
        return new Tcp(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    private static int port(String text, String port) {
        try {
            int value = Integer.parseInt(port);
            if (value >= 0 && value <= 65535) return value;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("'" + text + "' has an invalid port '" + port + "'");
    }
}
