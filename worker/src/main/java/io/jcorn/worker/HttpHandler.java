package io.jcorn.worker;

import io.jcorn.protocol.App;
import io.jcorn.protocol.Timeouts;
import io.jcorn.protocol.WorkerScore;
import io.jcorn.protocol.Hooks;
import io.jcorn.protocol.http.BodyFramingException;
import io.jcorn.protocol.http.ParserOptions;
import io.jcorn.protocol.http.RequestBody;
import io.jcorn.protocol.http.HttpError;
import io.jcorn.protocol.http.HttpParser;
import io.jcorn.protocol.http.RequestHead;
import io.jcorn.protocol.http.RequestInput;
import io.jcorn.protocol.http.SchemeRules;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * Serves a client connection: read a request, call the app, write the response, and, if the
 * {@link Connections} policy keeps connections alive, again for the next request on it. This is
 * the whole request path of every worker class; they differ only in which thread runs it and
 * where an idle connection waits (see {@link ConnectionThreads}).
 */
final class HttpHandler {
    private final App app;
    private final Hooks hooks;
    private final HttpParser parser;
    private final ParserOptions options;
    private final RequestEnviron environs;
    private final DateHeader date = new DateHeader();
    private final Connections connections;
    private final SchemeRules schemes;
    private final ProxyProtocol proxy;
    private final Timeouts timeouts;
    private final InFlight inFlight;
    private final AccessLog accessLog;
    private final WorkerScore score;

    HttpHandler(App app, Hooks hooks, ParserOptions options, RequestEnviron environs, Connections connections,
                SchemeRules schemes, ProxyProtocol proxy, AccessLog accessLog, WorkerScore score, Timeouts timeouts,
                InFlight inFlight) {
        this.app = app;
        this.hooks = hooks;
        this.accessLog = accessLog;
        this.score = score;
        this.proxy = proxy;
        this.schemes = schemes;
        this.connections = connections;
        this.parser = new HttpParser(options);
        this.options = options;
        this.environs = environs;
        this.timeouts = timeouts;
        this.inFlight = inFlight;
    }

    /** The whole life of a connection on the calling thread, which also waits while it is idle. */
    void process(Connection connection) {
        try (connection) {
            connection.readyIfWaiting();
            if (!open(connection)) return;
            while (serveArrived(connection) && connections.nextRequestArrives(connection)) {
                // the next request's first byte is here
            }
        } catch (IOException e) {
            Log.debug("closing a client: " + e);
        } finally {
            connections.forget(connection);
        }
    }

    /** A new connection's PROXY header, if any; false if the connection is to be closed. */
    boolean open(Connection connection) {
        try {
            connection.readWithin(timeouts.headerRead());
            connection.remote(proxy.client(connection.in, connection.remote()));
            connection.opened = true;
            return true;
        } catch (IOException e) {
            Log.debug("closing a client: " + e);
            return false;
        }
    }

    /**
     * Serves the requests whose bytes are here (the first may still be arriving; the next are
     * pipelined). Returns whether the connection stays open for another request.
     */
    boolean serveArrived(Connection connection) {
        try {
            do {
                connection.readWithin(timeouts.headerRead());
                RequestHead head = readHead(connection);
                if (head == null || !serve(connection, head)) return false;
            } while (connection.hasArrived());
            return true;
        } catch (IOException e) {
            Log.debug("closing a client: " + e);
            return false;
        }
    }

    /** One request: body, environ, app, response. Returns whether the connection may take another. */
    private boolean serve(Connection connection, RequestHead head) throws IOException {
        SocketChannel client = connection.channel;
        long started = score.begin(head.method(), head.target());
        String scheme = scheme(connection, head);
        if (scheme == null) return false;
        RequestBody body = RequestBody.of(head, connection.in, options);
        if (expectsContinue(head)) body.beforeFirstRead(() -> ResponseWriter.writeContinue(client));
        Map<String, Object> environ = environs.build(head, body, scheme, connection.remoteText(),
                connection.server(head.header("Host")));
        ResponseWriter response = new ResponseWriter(client, connection.out, head, date.now(),
                connections.keepAlive(head));
        connection.readEachWithin(timeouts.bodyRead());
        InFlight.Request request = inFlight.begin(connection, response, head, started);
        try {
            hooks.run("pre_request", h -> h.preRequest(environ));
            callApp(environ, response);
            score.end(started, response.statusCode(), response.bodyBytes());
            hooks.run("post_request", h -> h.postRequest(environ, response.status()));
        } finally {
            inFlight.end(request);
        }
        accessLog.log(environ, response, started);
        connection.readWithin(timeouts.bodyRead());
        return response.reusable() && connections.finishBody(body);
    }

    /** jcorn.url_scheme, or null after answering 400 to a trusted proxy's contradicting headers. */
    private String scheme(Connection connection, RequestHead head) throws IOException {
        try {
            return schemes.scheme(head, connection.peer());
        } catch (HttpError e) {
            ResponseWriter.writeError(connection.channel, e.status(), e.getMessage(), date.now());
            return null;
        }
    }

    private RequestHead readHead(Connection connection) throws IOException {
        try {
            RequestHead head = parser.parse(connection.in, connection.lastHead);
            if (head != null) connection.lastHead = head;
            return head;
        } catch (HttpError e) {
            Log.debug("invalid request: " + e.status() + " " + e.getMessage());
            ResponseWriter.writeError(connection.channel, e.status(), e.getMessage(), date.now());
            return null;
        }
    }

    /** RFC 9110 §10.1.1: HTTP/1.1 clients may wait for a 100 before sending the body. */
    private static boolean expectsContinue(RequestHead head) {
        return head.version().equals("HTTP/1.1") && "100-continue".equalsIgnoreCase(head.header("Expect"));
    }

    private void callApp(Map<String, Object> environ, ResponseWriter response) throws IOException {
        Iterable<?> body = null;
        try {
            body = app.call(environ, response);
            if (body == null) throw new IllegalStateException("the app returned null instead of a body");
            response.writeBody(body);
            response.finish();
        } catch (ClientGoneException e) {
            Log.debug("client went away: " + e.getMessage());
        } catch (BodyFramingException e) {
            // the body broke its framing while the app read it: the client's fault, not the app's
            Log.debug("invalid request body: " + e.status() + " " + e.getMessage());
            if (!response.headersSent()) response.writeError(e.status(), e.getMessage());
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            if (response.timedOut()) Log.debug("after its timeout, the request ended with " + e);
            else Log.error("Error handling request " + environ.get("RAW_URI"), e);
            if (!response.headersSent()) response.writeError(500, "Internal Server Error");
        } finally {
            closeBody(body);
        }
    }

    private static void closeBody(Iterable<?> body) {
        if (body instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                Log.error("Error closing the response body", e);
            }
        }
    }
}
