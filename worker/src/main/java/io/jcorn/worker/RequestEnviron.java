package io.jcorn.worker;

import io.jcorn.protocol.Environ;
import io.jcorn.protocol.FileRegion;
import io.jcorn.protocol.FileWrapper;
import io.jcorn.protocol.http.RequestHead;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Builds the environ of one request (the keys are in {@link Environ} and {@code protocol/SPEC.md}). */
final class RequestEnviron {
    private static final String SOFTWARE = "jcorn/" + version();
    private static final FileWrapper FILE_WRAPPER = FileRegion::new;

    private final int workerId;
    private final String scriptName;
    private final PrintStream errors;
    private final Boolean multithread;

    /** @param multithread whether other threads of this worker may call the app at the same time */
    RequestEnviron(int workerId, String scriptName, PrintStream errors, boolean multithread) {
        this.multithread = multithread;
        this.workerId = workerId;
        this.scriptName = scriptName;
        this.errors = errors;
    }

    /** REMOTE_ADDR and REMOTE_PORT of a client, as text: once per connection, not per request. */
    record Remote(String addr, String port) {
        // Over a unix socket the peer has no address: REMOTE_ADDR is "" and REMOTE_PORT absent, as in Gunicorn.
        static Remote of(SocketAddress remote) {
            return remote instanceof InetSocketAddress inet
                    ? new Remote(hostAddress(inet), Integer.toString(inet.getPort())) : new Remote("", null);
        }
    }

    /** SERVER_NAME and SERVER_PORT, from a Host header (null if none) or else the socket's own address. */
    record Server(String host, String name, String port) {
        static Server of(String host, SocketAddress local) {
            if (host != null && !host.isEmpty()) {
                int close = host.lastIndexOf(']');
                int colon = host.lastIndexOf(':');
                boolean hasPort = colon > close;
                return new Server(host, hasPort ? host.substring(0, colon) : host, hasPort ? host.substring(colon + 1) : "80");
            } else if (local instanceof InetSocketAddress inet) {
                return new Server(host, inet.getHostString(), Integer.toString(inet.getPort()));
            }
            return new Server(host, String.valueOf(local), "");
        }
    }

    Map<String, Object> build(RequestHead head, InputStream body, String scheme, Remote remote, Server server) {
        Map<String, Object> env = new HashMap<>(64);
        env.put(Environ.REQUEST_METHOD, head.method());
        env.put(Environ.RAW_URI, head.target());
        env.put(Environ.QUERY_STRING, head.query());
        env.put(Environ.SERVER_PROTOCOL, head.version());
        env.put(Environ.SERVER_SOFTWARE, SOFTWARE);
        putPath(env, percentDecode(head.path()));
        putHeaders(env, head);
        env.put(Environ.SERVER_NAME, server.name());
        env.put(Environ.SERVER_PORT, server.port());
        putRemote(env, remote);
        env.put(Environ.INPUT, body);
        env.put(Environ.ERRORS, errors);
        env.put(Environ.URL_SCHEME, scheme);
        env.put(Environ.MULTITHREAD, multithread);
        env.put(Environ.MULTIPROCESS, Boolean.TRUE);
        env.put(Environ.RUN_ONCE, Boolean.FALSE);
        env.put(Environ.VERSION, "1.0");
        env.put(Environ.WORKER_ID, workerId);
        env.put(Environ.INPUT_TERMINATED, Boolean.TRUE);
        env.put(Environ.FILE_WRAPPER, FILE_WRAPPER);
        return env;
    }

    private void putPath(Map<String, Object> env, String path) {
        if (!scriptName.isEmpty() && (path.equals(scriptName) || path.startsWith(scriptName + "/"))) {
            path = path.substring(scriptName.length());
        }
        env.put(Environ.SCRIPT_NAME, scriptName);
        env.put(Environ.PATH_INFO, path);
    }

    private static void putHeaders(Map<String, Object> env, RequestHead head) {
        for (int i = 0; i < head.fieldCount(); i++) {
            String key = head.environKey(i);
            String value = head.fieldValue(i);
            Object previous = env.putIfAbsent(key, value);
            if (previous != null) env.put(key, previous + "," + value);
        }
    }

    private static void putRemote(Map<String, Object> env, Remote remote) {
        env.put(Environ.REMOTE_ADDR, remote.addr());
        if (remote.port() != null) env.put(Environ.REMOTE_PORT, remote.port());
    }

    /** The peer's address in its usual text form: IPv6 compressed (RFC 5952), "::1" not "0:0:0:0:0:0:0:1". */
    static String hostAddress(InetSocketAddress inet) {
        String text = inet.getAddress().getHostAddress();
        if (!(inet.getAddress() instanceof java.net.Inet6Address)) return text;
        int scope = text.indexOf('%');
        String[] groups = (scope < 0 ? text : text.substring(0, scope)).split(":");
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) return String.join(":", groups);
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    /** %XX sequences decoded to bytes, the bytes read as UTF-8; a malformed escape stays as sent. */
    static String percentDecode(String path) {
        if (path.indexOf('%') < 0) return path;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            int hi, lo;
            if (c == '%' && i + 2 < path.length()
                    && (hi = Character.digit(path.charAt(i + 1), 16)) >= 0
                    && (lo = Character.digit(path.charAt(i + 2), 16)) >= 0) {
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String version() {
        String v = RequestEnviron.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
