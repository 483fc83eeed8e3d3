package io.jcorn.protocol;

/**
 * The keys of an environ, the map an {@link App} receives for each request.
 * {@code protocol/SPEC.md} says what each holds; values are {@code String} unless said otherwise.
 */
public final class Environ {
    private Environ() {}

    public static final String REQUEST_METHOD = "REQUEST_METHOD";
    public static final String SCRIPT_NAME = "SCRIPT_NAME";
    public static final String PATH_INFO = "PATH_INFO";
    public static final String QUERY_STRING = "QUERY_STRING";
    public static final String RAW_URI = "RAW_URI";
    public static final String CONTENT_TYPE = "CONTENT_TYPE";
    public static final String CONTENT_LENGTH = "CONTENT_LENGTH";
    public static final String SERVER_NAME = "SERVER_NAME";
    public static final String SERVER_PORT = "SERVER_PORT";
    public static final String SERVER_PROTOCOL = "SERVER_PROTOCOL";
    public static final String SERVER_SOFTWARE = "SERVER_SOFTWARE";
    public static final String REMOTE_ADDR = "REMOTE_ADDR";
    public static final String REMOTE_PORT = "REMOTE_PORT";
    /** Prefix of one key per request header: {@code HTTP_} + name upper-cased, {@code -} as {@code _}. */
    public static final String HTTP_PREFIX = "HTTP_";

    /** {@code java.io.InputStream}: the request body, ends where the body ends. */
    public static final String INPUT = "jcorn.input";
    /** {@code java.io.PrintStream}: the worker's error log. */
    public static final String ERRORS = "jcorn.errors";
    /** {@code "http"} or {@code "https"}. */
    public static final String URL_SCHEME = "jcorn.url_scheme";
    /** {@code Boolean}: whether other threads of this worker may call the app at the same time. */
    public static final String MULTITHREAD = "jcorn.multithread";
    /** {@code Boolean}: whether other processes serve the same app (always true in jcorn). */
    public static final String MULTIPROCESS = "jcorn.multiprocess";
    /** {@code Boolean}: whether this process serves only this one request (always false). */
    public static final String RUN_ONCE = "jcorn.run_once";
    /** {@code String}: the version of this interface, {@code "1.0"}. */
    public static final String VERSION = "jcorn.version";
    /** {@code Integer}: the worker's number, 0..workers-1, kept by its replacement. */
    public static final String WORKER_ID = "jcorn.worker_id";
    /**
     * {@link FileWrapper}: wraps a region of an open {@code FileChannel} as a body the worker
     * sends with sendfile (PEP 3333's {@code wsgi.file_wrapper}).
     */
    public static final String FILE_WRAPPER = "jcorn.file_wrapper";
    /** {@code Boolean}: true, the input stream ends at the end of the body (never blocks past it). */
    public static final String INPUT_TERMINATED = "jcorn.input_terminated";
}
