package io.jcorn.protocol.uwsgi;

import io.jcorn.protocol.http.Header;
import io.jcorn.protocol.http.RequestHead;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as nginx's {@code uwsgi_pass} sends it: CGI variables, already the environ's keys
 * and values ({@code REQUEST_METHOD}, {@code PATH_INFO}, {@code HTTP_HOST}, whatever
 * {@code uwsgi_param} adds). The body, CONTENT_LENGTH bytes, follows the packet on the connection.
 *
 * <p>The environ of a uwsgi request is these variables, as uWSGI makes it: nginx has decoded
 * PATH_INFO and may have set SCRIPT_NAME, REMOTE_ADDR is the client's, not nginx's. Missing ones
 * get Gunicorn's defaults (GET, "/").
 */
public final class UwsgiPacket {
    private final Map<String, String> vars;
    private final long contentLength;

    UwsgiPacket(Map<String, String> vars, long contentLength) {
        this.vars = Collections.unmodifiableMap(vars);
        this.contentLength = contentLength;
    }

    /** Every variable in the order sent; an HTTP_* one sent twice holds both values joined by ','. */
    public Map<String, String> vars() {
        return vars;
    }

    /** A variable's value, or null. */
    public String get(String key) {
        return vars.get(key);
    }

    public String method() {
        return vars.getOrDefault("REQUEST_METHOD", "GET");
    }

    /** PATH_INFO as nginx sent it (decoded; SCRIPT_NAME's part left out if nginx set one), "/" if none. */
    public String pathInfo() {
        return vars.getOrDefault("PATH_INFO", "/");
    }

    public String queryString() {
        return vars.getOrDefault("QUERY_STRING", "");
    }

    /** The request-target as the client sent it: REQUEST_URI, else PATH_INFO and the query. */
    public String requestUri() {
        String uri = vars.get("REQUEST_URI");
        if (uri != null) return uri;
        return queryString().isEmpty() ? pathInfo() : pathInfo() + "?" + queryString();
    }

    public String protocol() {
        return vars.getOrDefault("SERVER_PROTOCOL", "HTTP/1.1");
    }

    /** The body's length: CONTENT_LENGTH, 0 if empty or absent (nginx sends it empty for a GET). */
    public long contentLength() {
        return contentLength;
    }

    /**
     * "https" if nginx says the client came over TLS (HTTPS on, 1 or true, as Gunicorn reads it),
     * else {@code wsgi.url_scheme} or REQUEST_SCHEME if set to http or https; null if nothing says.
     */
    public String scheme() {
        String https = vars.get("HTTPS");
        if (https != null && List.of("on", "1", "true").contains(https.toLowerCase(Locale.ROOT))) return "https";
        for (String key : List.of("wsgi.url_scheme", "REQUEST_SCHEME")) {
            String scheme = vars.get(key);
            if ("http".equals(scheme) || "https".equals(scheme)) return scheme;
        }
        return null;
    }

    /**
     * The request as a head, for what reads one (the access log, keep-alive and framing
     * decisions): the header fields from the HTTP_* variables and CONTENT_TYPE, the path still
     * percent-encoded from REQUEST_URI. The environ is {@link #vars()}, not this.
     */
    public RequestHead head() {
        String target = requestUri();
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        List<Header> headers = new ArrayList<>();
        for (Map.Entry<String, String> var : vars.entrySet()) {
            String key = var.getKey();
            if (key.startsWith("HTTP_") && key.length() > 5) headers.add(new Header(headerName(key.substring(5)), var.getValue()));
            else if (key.equals("CONTENT_TYPE") && !var.getValue().isEmpty()) headers.add(new Header("Content-Type", var.getValue()));
        }
        if (contentLength > 0) headers.add(new Header("Content-Length", Long.toString(contentLength)));
        return new RequestHead(method(), target, path, queryString(), protocol(), headers, contentLength);
    }

    /** ACCEPT_ENCODING → Accept-Encoding: a header's usual spelling, which the environ key lost. */
    private static String headerName(String key) {
        StringBuilder name = new StringBuilder(key.length());
        boolean start = true;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '_') {
                name.append('-');
                start = true;
            } else {
                name.append(start ? c : Character.toLowerCase(c));
                start = false;
            }
        }
        return name.toString();
    }

    @Override
    public String toString() {
        return "UwsgiPacket" + vars;
    }
}
