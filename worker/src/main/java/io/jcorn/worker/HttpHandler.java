package io.jcorn.worker;

import io.jcorn.protocol.App;
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
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * Serves one client connection: read a request, call the app, write the response, and, if the
 * {@link Connections} policy keeps connections alive, again for the next request on it. This is
 * the whole request path of every worker.
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
    private final AccessLog accessLog;
    private final WorkerScore score;

    HttpHandler(App app, Hooks hooks, ParserOptions options, RequestEnviron environs, Connections connections, SchemeRules schemes,
                ProxyProtocol proxy, AccessLog accessLog, WorkerScore score) {
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
    }

    void process(SocketChannel client) {
        try (client) {
            RequestInput in = new RequestInput(Channels.newInputStream(client));
            SocketAddress remote = proxy.client(in, client.getRemoteAddress());
            do {
                RequestHead head = readHead(client, in);
                if (head == null || !serve(client, in, head, remote)) return;
            } while (connections.nextRequestArrives(client, in));
        } catch (IOException e) {
            Log.debug("closing a client: " + e);
        }
    }

    /** One request: body, environ, app, response. Returns whether the connection may take another. */
    private boolean serve(SocketChannel client, InputStream in, RequestHead head, SocketAddress remote)
            throws IOException {
        long started = score.begin(head.method(), head.target());
        String scheme = scheme(client, head);
        if (scheme == null) return false;
        RequestBody body = RequestBody.of(head, in, options);
        if (expectsContinue(head)) body.beforeFirstRead(() -> ResponseWriter.writeContinue(client));
        Map<String, Object> environ = environs.build(head, body, client, scheme, remote);
        ResponseWriter response = new ResponseWriter(client, head, date.now(), connections.keepAlive(head));
        hooks.run("pre_request", h -> h.preRequest(environ));
        callApp(environ, response);
        score.end(started, response.statusCode(), response.bodyBytes());
        hooks.run("post_request", h -> h.postRequest(environ, response.status()));
        accessLog.log(environ, response, started);
        return response.reusable() && connections.finishBody(body);
    }

    /** jcorn.url_scheme, or null after answering 400 to a trusted proxy's contradicting headers. */
    private String scheme(SocketChannel client, RequestHead head) throws IOException {
        String peer = client.getRemoteAddress() instanceof InetSocketAddress inet ? RequestEnviron.hostAddress(inet) : null;
        try {
            return schemes.scheme(head, peer);
        } catch (HttpError e) {
            ResponseWriter.writeError(client, e.status(), e.getMessage(), date.now());
            return null;
        }
    }

    private RequestHead readHead(SocketChannel client, RequestInput in) throws IOException {
        try {
            return parser.parse(in);
        } catch (HttpError e) {
            Log.debug("invalid request: " + e.status() + " " + e.getMessage());
            ResponseWriter.writeError(client, e.status(), e.getMessage(), date.now());
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
            Log.error("Error handling request " + environ.get("RAW_URI"), e);
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
