package io.jcorn.protocol;

import io.jcorn.protocol.http.ParserOptions;
import io.jcorn.protocol.http.SchemeRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the master tells a worker JVM it spawns, and what the worker's exit code tells the master.
 *
 * <p>The master places the listening sockets at descriptors {@link #FIRST_LISTENER_FD}.. and the
 * worker's heartbeat slot right after them, closes every other descriptor above 2, and passes
 * the rest as environment variables, so a worker needs no native code to start.
 *
 * @param listeners      the inherited listening sockets, in bind order
 * @param heartbeatFd    the descriptor of the worker's {@link HeartbeatSlot} (a memfd)
 * @param masterPid      the master's pid: a worker whose parent changes exits by itself
 * @param workerId       the worker's number, 0..workers-1
 * @param app            the app, {@code pkg.Class} or {@code pkg.Class::member}
 * @param appClasspath   where the app's classes are: jars and directories, {@code :}-separated
 * @param timeoutSeconds the master's heartbeat timeout; the worker beats well within it
 * @param logLevel       debug, info, warning, error or critical
 * @param maxRequests    requests after which the worker exits to be replaced; 0 = never
 * @param errorLog       the file the worker logs to, or "-" for stderr
 * @param parser         the request head limits and strictness ({@code --limit-request-*}, ...)
 * @param keepAliveSeconds idle seconds a kept-alive connection waits for its next request ({@code --keep-alive})
 * @param gracefulSeconds seconds a stopping worker has before the master kills it ({@code --graceful-timeout}):
 *                       it closes its idle connections in time, each with a FIN
 * @param workerClass    how the worker runs its connections ({@code -k}, {@code --threads}, {@code --worker-connections})
 * @param forwardedAllowIps peers whose scheme headers are believed ({@code --forwarded-allow-ips})
 * @param secureSchemeHeaders HEADER=VALUE pairs that mean https ({@code --secure-scheme-headers})
 * @param proxyProtocol  off, v1, v2 or auto ({@code --proxy-protocol})
 * @param proxyAllowFrom peers that may send a PROXY header ({@code --proxy-allow-from})
 * @param accessLog      the access log file, "-" for stdout, "" for none ({@code --access-logfile})
 * @param accessLogFormat its line format ({@code --access-logformat}, an {@link AccessLogFormat})
 * @param timeouts       request, header-read and body-read time bounds
 */
public record WorkerContract(List<Listener> listeners, int heartbeatFd, long masterPid, int workerId,
                             String app, String appClasspath, int timeoutSeconds, String logLevel,
                             long maxRequests, String errorLog, ParserOptions parser, int keepAliveSeconds,
                             int gracefulSeconds, WorkerClass workerClass, String forwardedAllowIps, String secureSchemeHeaders,
                             String proxyProtocol, String proxyAllowFrom, String accessLog, String accessLogFormat,
                             Timeouts timeouts) {

    /** A contract with Gunicorn's default parser options, a sync worker and the default timeouts. */
    public WorkerContract(List<Listener> listeners, int heartbeatFd, long masterPid, int workerId,
                          String app, String appClasspath, int timeoutSeconds, String logLevel, long maxRequests,
                          String errorLog) {
        this(listeners, heartbeatFd, masterPid, workerId, app, appClasspath, timeoutSeconds, logLevel, maxRequests,
                errorLog, ParserOptions.DEFAULT, 2, 30, WorkerClass.SYNC, SchemeRules.DEFAULT_ALLOW_IPS,
                SchemeRules.DEFAULT_HEADERS, "off", "127.0.0.1,::1", "", AccessLogFormat.DEFAULT, Timeouts.DEFAULT);
    }

    /** The first descriptor a listening socket is placed at in the worker. */
    public static final int FIRST_LISTENER_FD = 3;

    /**
     * The {@link ServerHooks} class ({@code --hooks}) the worker loads next to the app, if set.
     * Apart from the record: only jcorn's own hook points read it.
     */
    public static final String HOOKS = "JCORN_HOOKS";

    /** Worker exit code: the worker could not start (bad socket, heartbeat, JVM trouble). */
    public static final int EXIT_WORKER_BOOT_ERROR = 3;
    /** Worker exit code: the app could not be loaded (class missing, constructor threw). */
    public static final int EXIT_APP_LOAD_ERROR = 4;

    static final String LISTEN_FDS = "JCORN_LISTEN_FDS";
    static final String HEARTBEAT_FD = "JCORN_HEARTBEAT_FD";
    static final String MASTER_PID = "JCORN_MASTER_PID";
    static final String WORKER_ID = "JCORN_WORKER_ID";
    static final String APP = "JCORN_APP";
    static final String APP_CLASSPATH = "JCORN_APP_CLASSPATH";
    static final String TIMEOUT = "JCORN_TIMEOUT";
    static final String LOG_LEVEL = "JCORN_LOG_LEVEL";
    static final String MAX_REQUESTS = "JCORN_MAX_REQUESTS";
    static final String ERROR_LOG = "JCORN_ERROR_LOGFILE";
    static final String LIMIT_REQUEST_LINE = "JCORN_LIMIT_REQUEST_LINE";
    static final String LIMIT_REQUEST_FIELDS = "JCORN_LIMIT_REQUEST_FIELDS";
    static final String LIMIT_REQUEST_FIELD_SIZE = "JCORN_LIMIT_REQUEST_FIELD_SIZE";
    static final String PERMIT_UNCONVENTIONAL_HTTP_METHOD = "JCORN_PERMIT_UNCONVENTIONAL_HTTP_METHOD";
    static final String CASEFOLD_HTTP_METHOD = "JCORN_CASEFOLD_HTTP_METHOD";
    static final String PERMIT_OBSOLETE_FOLDING = "JCORN_PERMIT_OBSOLETE_FOLDING";
    static final String HEADER_MAP = "JCORN_HEADER_MAP";
    static final String STRIP_HEADER_SPACES = "JCORN_STRIP_HEADER_SPACES";
    static final String KEEP_ALIVE = "JCORN_KEEP_ALIVE";
    static final String GRACEFUL_TIMEOUT = "JCORN_GRACEFUL_TIMEOUT";
    static final String WORKER_CLASS = "JCORN_WORKER_CLASS";
    static final String THREADS = "JCORN_THREADS";
    static final String WORKER_CONNECTIONS = "JCORN_WORKER_CONNECTIONS";
    static final String REQUEST_TIMEOUT = "JCORN_REQUEST_TIMEOUT";
    static final String HEADER_READ_TIMEOUT = "JCORN_HEADER_READ_TIMEOUT";
    static final String BODY_READ_TIMEOUT = "JCORN_BODY_READ_TIMEOUT";
    static final String FORWARDED_ALLOW_IPS = "JCORN_FORWARDED_ALLOW_IPS";
    static final String SECURE_SCHEME_HEADERS = "JCORN_SECURE_SCHEME_HEADERS";
    static final String PROXY_PROTOCOL = "JCORN_PROXY_PROTOCOL";
    static final String PROXY_ALLOW_FROM = "JCORN_PROXY_ALLOW_FROM";
    static final String ACCESS_LOG = "JCORN_ACCESS_LOGFILE";
    static final String ACCESS_LOG_FORMAT = "JCORN_ACCESS_LOGFORMAT";

    /** The kind of an inherited listening socket: the worker must know it to wrap the descriptor. */
    public enum Family { INET, INET6, UNIX }

    /** One inherited listening socket: the descriptor it has in the worker, and its family. */
    public record Listener(int fd, Family family) {
        @Override
        public String toString() {
            return fd + ":" + family.name().toLowerCase();
        }

        static Listener parse(String text) {
            int colon = text.indexOf(':');
            if (colon < 0) throw new IllegalArgumentException("bad listener '" + text + "', want FD:FAMILY");
            return new Listener(Integer.parseInt(text.substring(0, colon)),
                    Family.valueOf(text.substring(colon + 1).toUpperCase()));
        }
    }

    /** The environment variables that carry this contract. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(LISTEN_FDS, String.join(",", listeners.stream().map(Listener::toString).toList()));
        env.put(HEARTBEAT_FD, Integer.toString(heartbeatFd));
        env.put(MASTER_PID, Long.toString(masterPid));
        env.put(WORKER_ID, Integer.toString(workerId));
        env.put(APP, app);
        env.put(APP_CLASSPATH, appClasspath);
        env.put(TIMEOUT, Integer.toString(timeoutSeconds));
        env.put(LOG_LEVEL, logLevel);
        env.put(MAX_REQUESTS, Long.toString(maxRequests));
        env.put(ERROR_LOG, errorLog);
        env.put(LIMIT_REQUEST_LINE, Integer.toString(parser.requestLine()));
        env.put(LIMIT_REQUEST_FIELDS, Integer.toString(parser.requestFields()));
        env.put(LIMIT_REQUEST_FIELD_SIZE, Integer.toString(parser.requestFieldSize()));
        env.put(PERMIT_UNCONVENTIONAL_HTTP_METHOD, Boolean.toString(parser.permitUnconventionalMethod()));
        env.put(CASEFOLD_HTTP_METHOD, Boolean.toString(parser.casefoldMethod()));
        env.put(PERMIT_OBSOLETE_FOLDING, Boolean.toString(parser.permitObsoleteFolding()));
        env.put(HEADER_MAP, parser.headerMap().name().toLowerCase());
        env.put(STRIP_HEADER_SPACES, Boolean.toString(parser.stripHeaderSpaces()));
        env.put(KEEP_ALIVE, Integer.toString(keepAliveSeconds));
        env.put(GRACEFUL_TIMEOUT, Integer.toString(gracefulSeconds));
        env.put(WORKER_CLASS, workerClass.kind().label());
        env.put(THREADS, Integer.toString(workerClass.threads()));
        env.put(WORKER_CONNECTIONS, Integer.toString(workerClass.connections()));
        env.put(FORWARDED_ALLOW_IPS, forwardedAllowIps);
        env.put(SECURE_SCHEME_HEADERS, secureSchemeHeaders);
        env.put(PROXY_PROTOCOL, proxyProtocol);
        env.put(PROXY_ALLOW_FROM, proxyAllowFrom);
        env.put(ACCESS_LOG, accessLog);
        env.put(ACCESS_LOG_FORMAT, accessLogFormat);
        env.put(REQUEST_TIMEOUT, Integer.toString(timeouts.request()));
        env.put(HEADER_READ_TIMEOUT, Integer.toString(timeouts.headerRead()));
        env.put(BODY_READ_TIMEOUT, Integer.toString(timeouts.bodyRead()));
        return env;
    }

    /**
     * Reads the contract back from a worker's environment.
     *
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static WorkerContract fromEnvironment(Map<String, String> env) {
        List<Listener> listeners = new ArrayList<>();
        for (String item : require(env, LISTEN_FDS).split(",")) {
            listeners.add(parse(LISTEN_FDS, item, Listener::parse));
        }
        return new WorkerContract(listeners,
                parse(HEARTBEAT_FD, require(env, HEARTBEAT_FD), Integer::parseInt),
                parse(MASTER_PID, require(env, MASTER_PID), Long::parseLong),
                parse(WORKER_ID, require(env, WORKER_ID), Integer::parseInt),
                require(env, APP),
                env.getOrDefault(APP_CLASSPATH, ""),
                parse(TIMEOUT, require(env, TIMEOUT), Integer::parseInt),
                env.getOrDefault(LOG_LEVEL, "info"),
                parse(MAX_REQUESTS, env.getOrDefault(MAX_REQUESTS, "0"), Long::parseLong),
                env.getOrDefault(ERROR_LOG, "-"),
                parserOptions(env),
                parse(KEEP_ALIVE, env.getOrDefault(KEEP_ALIVE, "2"), Integer::parseInt),
                parse(GRACEFUL_TIMEOUT, env.getOrDefault(GRACEFUL_TIMEOUT, "30"), Integer::parseInt),
                workerClass(env),
                env.getOrDefault(FORWARDED_ALLOW_IPS, SchemeRules.DEFAULT_ALLOW_IPS),
                env.getOrDefault(SECURE_SCHEME_HEADERS, SchemeRules.DEFAULT_HEADERS),
                env.getOrDefault(PROXY_PROTOCOL, "off"),
                env.getOrDefault(PROXY_ALLOW_FROM, "127.0.0.1,::1"),
                env.getOrDefault(ACCESS_LOG, ""),
                env.getOrDefault(ACCESS_LOG_FORMAT, AccessLogFormat.DEFAULT),
                timeouts(env));
    }

    private static WorkerClass workerClass(Map<String, String> env) {
        return new WorkerClass(parse(WORKER_CLASS, env.getOrDefault(WORKER_CLASS, "sync"), WorkerClass.Kind::parse),
                parse(THREADS, env.getOrDefault(THREADS, "1"), Integer::parseInt),
                parse(WORKER_CONNECTIONS, env.getOrDefault(WORKER_CONNECTIONS, "1"), Integer::parseInt));
    }

    private static Timeouts timeouts(Map<String, String> env) {
        Timeouts d = Timeouts.DEFAULT;
        return new Timeouts(parse(REQUEST_TIMEOUT, env.getOrDefault(REQUEST_TIMEOUT, "" + d.request()), Integer::parseInt),
                parse(HEADER_READ_TIMEOUT, env.getOrDefault(HEADER_READ_TIMEOUT, "" + d.headerRead()), Integer::parseInt),
                parse(BODY_READ_TIMEOUT, env.getOrDefault(BODY_READ_TIMEOUT, "" + d.bodyRead()), Integer::parseInt));
    }

    /** Each variable missing means Gunicorn's default. */
    private static ParserOptions parserOptions(Map<String, String> env) {
        ParserOptions d = ParserOptions.DEFAULT;
        return new ParserOptions(
                parse(LIMIT_REQUEST_LINE, env.getOrDefault(LIMIT_REQUEST_LINE, "" + d.requestLine()), Integer::parseInt),
                parse(LIMIT_REQUEST_FIELDS, env.getOrDefault(LIMIT_REQUEST_FIELDS, "" + d.requestFields()), Integer::parseInt),
                parse(LIMIT_REQUEST_FIELD_SIZE, env.getOrDefault(LIMIT_REQUEST_FIELD_SIZE, "" + d.requestFieldSize()),
                        Integer::parseInt),
                parse(PERMIT_UNCONVENTIONAL_HTTP_METHOD, env.getOrDefault(PERMIT_UNCONVENTIONAL_HTTP_METHOD, "false"),
                        WorkerContract::bool),
                parse(CASEFOLD_HTTP_METHOD, env.getOrDefault(CASEFOLD_HTTP_METHOD, "false"), WorkerContract::bool),
                parse(PERMIT_OBSOLETE_FOLDING, env.getOrDefault(PERMIT_OBSOLETE_FOLDING, "false"), WorkerContract::bool),
                parse(HEADER_MAP, env.getOrDefault(HEADER_MAP, "drop"),
                        v -> ParserOptions.HeaderMap.valueOf(v.toUpperCase())),
                parse(STRIP_HEADER_SPACES, env.getOrDefault(STRIP_HEADER_SPACES, "false"), WorkerContract::bool));
    }

    private static boolean bool(String value) {
        if (value.equals("true")) return true;
        if (value.equals("false")) return false;
        throw new IllegalArgumentException("want true or false");
    }

    private static <T> T parse(String name, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " has a malformed value '" + value + "': " + e.getMessage());
        }
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is not set: a worker is started by the jcorn master");
        }
        return value;
    }
}
