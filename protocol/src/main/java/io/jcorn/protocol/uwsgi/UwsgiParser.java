package io.jcorn.protocol.uwsgi;

import io.jcorn.protocol.http.ParserOptions;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the uwsgi packets nginx's {@code uwsgi_pass} sends (Gunicorn 26's {@code --protocol
 * uwsgi}): a 4-byte header (modifier1, the size of what follows as a little-endian u16,
 * modifier2), then that many bytes of variables, each a little-endian u16 length and a name, a
 * u16 length and a value. The request body follows, CONTENT_LENGTH bytes, for the body readers;
 * the answer is HTTP, as ever. See uWSGI's "The uwsgi Protocol" and nginx's
 * {@code ngx_http_uwsgi_module.c}.
 *
 * <p>Only modifier1 0 (a WSGI request) is served, as in Gunicorn; modifier2 is ignored, as in
 * Gunicorn. The HTTP limits apply to what they limit in HTTP: REQUEST_URI to
 * {@code --limit-request-line} (414), the HTTP_* variables' count to {@code --limit-request-fields}
 * and each one's name and value to {@code --limit-request-field_size} (431). Differs from Gunicorn:
 * a variable sent twice is joined with ',' if it is a header (nginx 1.22 passes repeated header
 * lines that way), a CONTENT_LENGTH that is not a length or is sent twice with two values is
 * refused rather than read as 0, and PATH_INFO and SCRIPT_NAME are read as UTF-8 (as jcorn decodes
 * an HTTP request's path), other values as ISO-8859-1 (as its header values).
 *
 * <p>Reads from any stream; one parser serves a worker's connections, one thread per parse.
 */
public final class UwsgiParser {
    private static final int HEADER = 4;

    private final ParserOptions limits;

    public UwsgiParser(ParserOptions limits) {
        this.limits = limits;
    }

    /**
     * Reads one packet, leaving the stream at the first byte of its body.
     *
     * @return the packet, or null if the stream ended cleanly before one began
     * @throws EOFException if the stream ended inside the packet
     * @throws UwsgiError   if the packet cannot be served
     */
    public UwsgiPacket parse(InputStream in) throws IOException, UwsgiError {
        int modifier1 = in.read();
        if (modifier1 < 0) return null;
        byte[] header = readFully(in, HEADER - 1);
        if (modifier1 != 0) {
            throw new UwsgiError(501, "uwsgi packet with modifier1 " + modifier1 + ": only 0, a WSGI request, is served");
        }
        int size = (header[0] & 0xff) | (header[1] & 0xff) << 8;
        return new Variables(readFully(in, size), limits).read();
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) throw new EOFException("the uwsgi packet ended after " + bytes.length + " of " + n + " bytes");
        return bytes;
    }

    /** The variables block of one packet, read in order. */
    private static final class Variables {
        private final byte[] block;
        private final ParserOptions limits;
        private final Map<String, String> vars = new LinkedHashMap<>();
        private int at;
        private int headers;

        Variables(byte[] block, ParserOptions limits) {
            this.block = block;
            this.limits = limits;
        }

        UwsgiPacket read() throws UwsgiError {
            while (at < block.length) {
                int start = at;
                int keySize = size("name size", start);
                String key = string(keySize, "name", start, StandardCharsets.ISO_8859_1);
                if (key.isEmpty()) throw new UwsgiError(400, "uwsgi variable at byte " + (start + HEADER) + " has an empty name");
                int valueSize = size("value size of " + key, start);
                Charset charset = key.equals("PATH_INFO") || key.equals("SCRIPT_NAME") ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
                put(key, string(valueSize, "value of " + key, start, charset));
            }
            checkUri();
            return new UwsgiPacket(vars, contentLength());
        }

        private int size(String what, int start) throws UwsgiError {
            if (block.length - at < 2) throw pastTheEnd(what, start);
            int size = (block[at] & 0xff) | (block[at + 1] & 0xff) << 8;
            at += 2;
            return size;
        }

        private String string(int size, String what, int start, Charset charset) throws UwsgiError {
            if (block.length - at < size) throw pastTheEnd(what, start);
            String s = new String(block, at, size, charset);
            at += size;
            return s;
        }

        private UwsgiError pastTheEnd(String what, int start) {
            return new UwsgiError(400, "uwsgi variable at byte " + (start + HEADER) + ": its " + what
                    + " runs past the packet's " + block.length + " bytes");
        }

        private void put(String key, String value) throws UwsgiError {
            if (key.startsWith("HTTP_")) {
                checkHeader(key, value);
                vars.merge(key, value, (first, next) -> first + "," + next);
            } else if (key.equals("CONTENT_LENGTH")) {
                String before = vars.put(key, value);
                if (before != null && !before.equals(value)) {
                    throw new UwsgiError(400, "uwsgi packet with two CONTENT_LENGTH values: " + before + " and " + value);
                }
            } else {
                vars.put(key, value);
            }
        }

        private void checkHeader(String key, String value) throws UwsgiError {
            if (limits.requestFields() > 0 && ++headers > limits.requestFields()) {
                throw new UwsgiError(431, "uwsgi packet with more than " + limits.requestFields() + " header variables");
            }
            if (limits.requestFieldSize() > 0 && key.length() + value.length() > limits.requestFieldSize()) {
                throw new UwsgiError(431, "uwsgi variable " + key + " is longer than " + limits.requestFieldSize() + " bytes");
            }
        }

        private void checkUri() throws UwsgiError {
            String uri = vars.get("REQUEST_URI");
            if (uri != null && limits.requestLine() > 0 && uri.length() > limits.requestLine()) {
                throw new UwsgiError(414, "uwsgi REQUEST_URI is longer than " + limits.requestLine() + " bytes");
            }
        }

        private long contentLength() throws UwsgiError {
            String value = vars.getOrDefault("CONTENT_LENGTH", "");
            if (value.isEmpty()) return 0;
            if (value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new UwsgiError(400, "uwsgi CONTENT_LENGTH '" + value + "' is not a length");
            }
            return Long.parseLong(value);
        }
    }
}
