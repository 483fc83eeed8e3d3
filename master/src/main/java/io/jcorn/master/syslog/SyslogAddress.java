package io.jcorn.master.syslog;

/**
 * {@code --syslog-addr}, read as Gunicorn's {@code parse_syslog_address} reads it:
 * {@code udp://HOST:PORT}, {@code tcp://HOST:PORT} (the port defaults to 514, the host to
 * localhost, an IPv6 host goes in brackets, host names are lower-cased), or
 * {@code unix://PATH#TYPE} with TYPE {@code dgram} or {@code stream}; without a TYPE, as Gunicorn
 * (Python's SysLogHandler) does, a datagram socket is tried first, then a stream socket.
 * Gunicorn's default on Linux is {@code udp://localhost:514}.
 */
public sealed interface SyslogAddress {
    /** Gunicorn's default on Linux (and everywhere but macOS and the BSDs). */
    String DEFAULT = "udp://localhost:514";

    record Udp(String host, int port) implements SyslogAddress {}

    record Tcp(String host, int port) implements SyslogAddress {}

    record Unix(String path, SocketType type) implements SyslogAddress {}

    enum SocketType { DGRAM, STREAM, EITHER }

    /**
     * @throws IllegalArgumentException with Gunicorn's reason: "invalid syslog address", or a port that is no number
     */
    static SyslogAddress parse(String address) {
        if (address.startsWith("unix://")) {
            String rest = address.substring("unix://".length());
            int hash = rest.indexOf('#');
            if (hash < 0) return new Unix(rest, SocketType.EITHER);
            SocketType type = switch (rest.substring(hash + 1)) {
                case "dgram" -> SocketType.DGRAM;
                case "stream" -> SocketType.STREAM;
                default -> SocketType.EITHER;
            };
            return new Unix(rest.substring(0, hash), type);
        }
        boolean udp = address.startsWith("udp://");
        if (!udp && !address.startsWith("tcp://")) throw new IllegalArgumentException("--syslog-addr " + address + ": invalid syslog address");
        String rest = address.substring("udp://".length());
        String host = host(rest);
        int port = port(address, rest.substring(rest.lastIndexOf(']') + 1));
        return udp ? new Udp(host, port) : new Tcp(host, port);
    }

    private static String host(String rest) {
        int close = rest.indexOf(']');
        if (rest.startsWith("[") && close > 0) return rest.substring(1, close).toLowerCase(java.util.Locale.ROOT);
        int colon = rest.indexOf(':');
        String host = colon < 0 ? rest : rest.substring(0, colon);
        return host.isEmpty() ? "localhost" : host.toLowerCase(java.util.Locale.ROOT);
    }

    private static int port(String address, String afterHost) {
        int colon = afterHost.indexOf(':');
        if (colon < 0) return 514;
        String port = afterHost.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit) || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("--syslog-addr " + address + ": '" + port + "' is not a valid port number");
        }
        return Integer.parseInt(port);
    }
}
