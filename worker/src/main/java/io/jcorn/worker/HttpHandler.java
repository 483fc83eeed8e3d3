package io.jcorn.worker;

import io.jcorn.protocol.App;
import io.jcorn.protocol.http.FixedLengthBody;
import io.jcorn.protocol.http.HttpError;
import io.jcorn.protocol.http.HttpParser;
import io.jcorn.protocol.http.RequestHead;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * Serves one client connection, in three steps: read the request, call the app, write the
 * response. This is the whole request path of the sync worker.
 */
final class HttpHandler {
    private final App app;
    private final HttpParser parser;
    private final RequestEnviron environs;
    private final DateHeader date = new DateHeader();

    HttpHandler(App app, HttpParser parser, RequestEnviron environs) {
        this.app = app;
        this.parser = parser;
        this.environs = environs;
    }

    void process(SocketChannel client) {
        try (client) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(client), 8192);
            RequestHead head = readHead(client, in);
            if (head == null) return;
            FixedLengthBody body = new FixedLengthBody(in, head.contentLength());
            Map<String, Object> environ = environs.build(head, body, client);
            ResponseWriter response = new ResponseWriter(client, head, date.now());
            callApp(environ, response);
        } catch (IOException e) {
            Log.debug("closing a client: " + e);
        }
    }

    private RequestHead readHead(SocketChannel client, InputStream in) throws IOException {
        try {
            return parser.parse(in);
        } catch (HttpError e) {
            Log.debug("invalid request: " + e.status() + " " + e.getMessage());
            ResponseWriter.writeError(client, e.status(), e.getMessage(), date.now());
            return null;
        }
    }

    private void callApp(Map<String, Object> environ, ResponseWriter response) throws IOException {
        Iterable<?> body = null;
        try {
            body = app.call(environ, response);
            if (body == null) throw new IllegalStateException("the app returned null instead of a body");
            for (Object chunk : body) response.write(chunk);
            response.finish();
        } catch (ClientGoneException e) {
            Log.debug("client went away: " + e.getMessage());
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
