package io.jcorn.protocol.uwsgi;

import io.jcorn.protocol.http.FixedLengthBody;
import io.jcorn.protocol.http.Header;
import io.jcorn.protocol.http.ParserOptions;
import io.jcorn.protocol.http.RequestHead;
import io.jcorn.protocol.http.RequestInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * uwsgi packets as data: each case is the bytes and what the parser must make of them, fed whole,
 * a byte per read and in random pieces, with the same result every time.
 */
class UwsgiParserTest {

    /** Bytes after every valid packet: the parser must leave them all unread. */
    private static final byte[] BODY = "BODY\r\n\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    // ---------------------------------------------------------------- building packets

    /** A packet: modifiers, then names and values (a String is ISO-8859-1, a byte[] as is). */
    static byte[] packetWith(int modifier1, int modifier2, Object... namesAndValues) {
        ByteArrayOutputStream vars = new ByteArrayOutputStream();
        for (Object part : namesAndValues) {
            byte[] bytes = part instanceof byte[] b ? b : ((String) part).getBytes(StandardCharsets.ISO_8859_1);
            vars.write(bytes.length & 0xff);
            vars.write(bytes.length >> 8);
            vars.writeBytes(bytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(modifier1);
        out.write(vars.size() & 0xff);
        out.write(vars.size() >> 8);
        out.write(modifier2);
        out.writeBytes(vars.toByteArray());
        return out.toByteArray();
    }

    static byte[] packet(Object... namesAndValues) {
        return packetWith(0, 0, namesAndValues);
    }

    /** What nginx sends with {@code include uwsgi_params} for a request, then its headers. */
    static byte[] nginx(String method, String uri, String contentLength, String... headers) {
        int q = uri.indexOf('?');
        Object[] cgi = {"QUERY_STRING", q < 0 ? "" : uri.substring(q + 1), "REQUEST_METHOD", method,
                "CONTENT_TYPE", "", "CONTENT_LENGTH", contentLength, "REQUEST_URI", uri,
                "PATH_INFO", q < 0 ? uri : uri.substring(0, q), "DOCUMENT_ROOT", "/usr/share/nginx/html",
                "SERVER_PROTOCOL", "HTTP/1.1", "REQUEST_SCHEME", "http", "REMOTE_ADDR", "192.0.2.7",
                "REMOTE_PORT", "50234", "SERVER_PORT", "80", "SERVER_NAME", "example.com"};
        Object[] all = Arrays.copyOf(cgi, cgi.length + headers.length);
        System.arraycopy(headers, 0, all, cgi.length, headers.length);
        return packet(all);
    }

    static Map<String, String> vars(String... namesAndValues) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) vars.put(namesAndValues[i], namesAndValues[i + 1]);
        return vars;
    }

    // ---------------------------------------------------------------- expectations

    sealed interface Expect {}

    record Parsed(Map<String, String> vars, long contentLength) implements Expect {}

    record Rejected(int status, String message) implements Expect {}

    record NoRequest() implements Expect {}

    record Truncated() implements Expect {}

    record Case(String name, byte[] raw, ParserOptions options, Expect expect) {
        Case withOptions(ParserOptions other) {
            return new Case(name, raw, other, expect);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case ok(String name, byte[] raw, Map<String, String> vars, long contentLength) {
        return new Case(name, raw, ParserOptions.DEFAULT, new Parsed(vars, contentLength));
    }

    private static Case bad(String name, int status, String message, byte[] raw) {
        return bad(name, status, message, raw, ParserOptions.DEFAULT);
    }

    private static Case bad(String name, int status, String message, byte[] raw, ParserOptions options) {
        return new Case(name, raw, options, new Rejected(status, message));
    }

    static Stream<Case> cases() {
        byte[] cafe = "/caf\u00e9".getBytes(StandardCharsets.UTF_8);
        ParserOptions tight = new ParserOptions(20, 2, 30);
        return Stream.of(
                ok("nginx's GET with uwsgi_params and two headers", nginx("GET", "/a%20b?x=1", "", "HTTP_HOST", "example.com",
                        "HTTP_USER_AGENT", "curl/7.88"),
                        vars("QUERY_STRING", "x=1", "REQUEST_METHOD", "GET", "CONTENT_TYPE", "", "CONTENT_LENGTH", "",
                                "REQUEST_URI", "/a%20b?x=1", "PATH_INFO", "/a%20b", "DOCUMENT_ROOT", "/usr/share/nginx/html",
                                "SERVER_PROTOCOL", "HTTP/1.1", "REQUEST_SCHEME", "http", "REMOTE_ADDR", "192.0.2.7",
                                "REMOTE_PORT", "50234", "SERVER_PORT", "80", "SERVER_NAME", "example.com",
                                "HTTP_HOST", "example.com", "HTTP_USER_AGENT", "curl/7.88"), 0),
                ok("a POST's length", packet("REQUEST_METHOD", "POST", "CONTENT_LENGTH", "4"),
                        vars("REQUEST_METHOD", "POST", "CONTENT_LENGTH", "4"), 4),
                ok("an empty packet", packet(), vars(), 0),
                ok("empty values", packet("QUERY_STRING", "", "HTTP_X_EMPTY", ""), vars("QUERY_STRING", "", "HTTP_X_EMPTY", ""), 0),
                ok("a header sent twice is joined", packet("HTTP_X_FORWARDED_FOR", "a", "HTTP_HOST", "h", "HTTP_X_FORWARDED_FOR", "b"),
                        vars("HTTP_X_FORWARDED_FOR", "a,b", "HTTP_HOST", "h"), 0),
                ok("a CGI variable sent twice keeps the last", packet("SERVER_NAME", "a", "SERVER_NAME", "b"), vars("SERVER_NAME", "b"), 0),
                ok("CONTENT_LENGTH sent twice alike", packet("CONTENT_LENGTH", "3", "CONTENT_LENGTH", "3"), vars("CONTENT_LENGTH", "3"), 3),
                ok("PATH_INFO is UTF-8", packet("PATH_INFO", cafe, "SCRIPT_NAME", cafe),
                        vars("PATH_INFO", "/caf\u00e9", "SCRIPT_NAME", "/caf\u00e9"), 0),
                ok("header values are ISO-8859-1", packet("HTTP_X_NAME", new byte[] {'a', (byte) 0xe9}), vars("HTTP_X_NAME", "a\u00e9"), 0),
                ok("modifier2 is ignored", packetWith(0, 7, "REQUEST_METHOD", "GET"), vars("REQUEST_METHOD", "GET"), 0),
                ok("a packet of 64 KiB", packet("X_BIG", "c".repeat(65535 - 2 - 5 - 2)), vars("X_BIG", "c".repeat(65535 - 9)), 0),
                ok("no limits when they are 0", packet("REQUEST_URI", "/" + "u".repeat(5000), "HTTP_A", "1", "HTTP_B", "2"),
                        vars("REQUEST_URI", "/" + "u".repeat(5000), "HTTP_A", "1", "HTTP_B", "2"), 0)
                        .withOptions(new ParserOptions(0, 0, 0)),
                ok("limits just met", packet("REQUEST_URI", "/" + "u".repeat(19), "HTTP_A", "v".repeat(24), "HTTP_B", "2"),
                        vars("REQUEST_URI", "/" + "u".repeat(19), "HTTP_A", "v".repeat(24), "HTTP_B", "2"), 0).withOptions(tight),

                bad("modifier1 other than 0", 501, "uwsgi packet with modifier1 5: only 0, a WSGI request, is served",
                        packetWith(5, 0, "REQUEST_METHOD", "GET")),
                bad("a name size past the packet", 400, "uwsgi variable at byte 4: its name runs past the packet's 4 bytes",
                        new byte[] {0, 4, 0, 0, 9, 0, 'a', 'b'}),
                bad("a lone byte for a size", 400, "uwsgi variable at byte 10: its name size runs past the packet's 7 bytes",
                        new byte[] {0, 7, 0, 0, 1, 0, 'A', 1, 0, 'b', 3}),
                bad("a value size past the packet", 400,
                        "uwsgi variable at byte 4: its value of REQUEST_METHOD runs past the packet's 20 bytes",
                        concat(new byte[] {0, 20, 0, 0, 14, 0}, "REQUEST_METHOD".getBytes(StandardCharsets.US_ASCII), new byte[] {9, 0, 'G', 'E'})),
                bad("a missing value size", 400,
                        "uwsgi variable at byte 4: its value size of A runs past the packet's 3 bytes", new byte[] {0, 3, 0, 0, 1, 0, 'A'}),
                bad("an empty name", 400, "uwsgi variable at byte 4 has an empty name", packet("", "x")),
                bad("CONTENT_LENGTH that is not a number", 400, "uwsgi CONTENT_LENGTH 'abc' is not a length", packet("CONTENT_LENGTH", "abc")),
                bad("a negative CONTENT_LENGTH", 400, "uwsgi CONTENT_LENGTH '-1' is not a length", packet("CONTENT_LENGTH", "-1")),
                bad("a CONTENT_LENGTH past a long", 400, "uwsgi CONTENT_LENGTH '99999999999999999999' is not a length",
                        packet("CONTENT_LENGTH", "99999999999999999999")),
                bad("two CONTENT_LENGTHs", 400, "uwsgi packet with two CONTENT_LENGTH values: 3 and 4",
                        packet("CONTENT_LENGTH", "3", "CONTENT_LENGTH", "4")),
                bad("REQUEST_URI over the line limit", 414, "uwsgi REQUEST_URI is longer than 20 bytes",
                        packet("REQUEST_URI", "/" + "u".repeat(20)), tight),
                bad("more header variables than fields allowed", 431, "uwsgi packet with more than 2 header variables",
                        packet("HTTP_A", "1", "SERVER_NAME", "s", "HTTP_B", "2", "HTTP_A", "3"), tight),
                bad("a header variable over the field size", 431, "uwsgi variable HTTP_A is longer than 30 bytes",
                        packet("HTTP_A", "v".repeat(25)), tight),

                new Case("nothing at all", new byte[0], ParserOptions.DEFAULT, new NoRequest()),
                new Case("a header cut short", new byte[] {0, 4}, ParserOptions.DEFAULT, new Truncated()),
                new Case("variables cut short", Arrays.copyOf(packet("REQUEST_METHOD", "GET"), 10), ParserOptions.DEFAULT, new Truncated()));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- feeding

    enum Feed {
        WHOLE, BYTE_BY_BYTE, RANDOM_SPLITS;

        /** The bytes as a connection's window whose stream hands them out this way. */
        RequestInput open(byte[] bytes, long seed) {
            return new RequestInput(switch (this) {
                case WHOLE -> new ByteArrayInputStream(bytes);
                case BYTE_BY_BYTE -> new PieceStream(bytes, null);
                case RANDOM_SPLITS -> new PieceStream(bytes, new Random(seed));
            }, 16);
        }
    }

    /** Hands out its bytes in pieces: one byte per read, or a random 1..17 bytes. */
    static final class PieceStream extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int pos;

        PieceStream(byte[] bytes, Random random) {
            this.bytes = bytes;
            this.random = random;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (len == 0) return 0;
            if (pos >= bytes.length) return -1;
            int piece = random == null ? 1 : 1 + random.nextInt(17);
            int n = Math.min(Math.min(len, piece), bytes.length - pos);
            System.arraycopy(bytes, pos, dst, off, n);
            pos += n;
            return n;
        }
    }

    static Stream<Arguments> casesFedThreeWays() {
        return cases().flatMap(c -> Stream.of(Feed.values()).map(f -> Arguments.of(c, f)));
    }

    // ---------------------------------------------------------------- tests

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesFedThreeWays")
    void parsesAsExpected(Case c, Feed feed) throws Exception {
        UwsgiParser parser = new UwsgiParser(c.options());
        String what = c.name() + ", fed " + feed;
        switch (c.expect()) {
            case Parsed parsed -> {
                RequestInput in = feed.open(concat(c.raw(), BODY), c.name().hashCode());
                UwsgiPacket packet = assertDoesNotThrow(() -> parser.parse(in), what);
                assertEquals(parsed.vars(), packet.vars(), what);
                assertEquals(List.copyOf(parsed.vars().keySet()), List.copyOf(packet.vars().keySet()), what + ": order");
                assertEquals(parsed.contentLength(), packet.contentLength(), what);
                assertArrayEquals(BODY, in.readAllBytes(), what + ": the parser must stop at the first body byte");
            }
            case Rejected rejected -> {
                UwsgiError e = assertThrows(UwsgiError.class, () -> parser.parse(feed.open(c.raw(), c.name().hashCode())), what);
                assertEquals(rejected.status(), e.status(), what + ": " + e.getMessage());
                assertEquals(rejected.message(), e.getMessage(), what);
            }
            case NoRequest none -> assertNull(parser.parse(feed.open(c.raw(), 1)), what);
            case Truncated truncated -> assertThrows(EOFException.class, () -> parser.parse(feed.open(c.raw(), 1)), what);
        }
    }

    @Test
    void packetsFollowEachOtherWithTheirBodies() throws Exception {
        byte[] stream = concat(nginx("POST", "/a", "4", "HTTP_HOST", "h"), "body".getBytes(StandardCharsets.US_ASCII),
                nginx("GET", "/b", ""));
        for (Feed feed : Feed.values()) {
            RequestInput in = feed.open(stream, 3);
            UwsgiParser parser = new UwsgiParser(ParserOptions.DEFAULT);
            UwsgiPacket a = parser.parse(in);
            assertEquals("/a", a.pathInfo(), feed.name());
            assertArrayEquals("body".getBytes(StandardCharsets.US_ASCII), new FixedLengthBody(in, a.contentLength()).readAllBytes());
            assertEquals("/b", parser.parse(in).pathInfo(), feed.name());
            assertNull(parser.parse(in), feed.name());
        }
    }

    private static UwsgiPacket parse(byte[] raw) throws Exception {
        return new UwsgiParser(ParserOptions.DEFAULT).parse(new ByteArrayInputStream(raw));
    }

    @Test
    void missingVariablesTakeGunicornsDefaults() throws Exception {
        UwsgiPacket packet = parse(packet());
        assertEquals("GET", packet.method());
        assertEquals("/", packet.pathInfo());
        assertEquals("", packet.queryString());
        assertEquals("/", packet.requestUri());
        assertEquals("HTTP/1.1", packet.protocol());
        assertNull(packet.scheme());
        assertEquals("/p?q=1", parse(packet("PATH_INFO", "/p", "QUERY_STRING", "q=1")).requestUri());
    }

    @Test
    void theSchemeComesFromHttpsThenTheSchemeVariables() throws Exception {
        assertEquals("https", parse(packet("HTTPS", "on", "REQUEST_SCHEME", "http")).scheme());
        assertEquals("https", parse(packet("HTTPS", "1")).scheme());
        assertEquals("https", parse(packet("wsgi.url_scheme", "https")).scheme());
        assertEquals("http", parse(packet("REQUEST_SCHEME", "http")).scheme());
        assertNull(parse(packet("HTTPS", "off", "REQUEST_SCHEME", "gopher")).scheme());
    }

    @Test
    void theHeadCarriesTheHeadersForTheAccessLogAndFraming() throws Exception {
        UwsgiPacket packet = parse(nginx("POST", "/a%20b?x=1", "5", "HTTP_HOST", "example.com", "HTTP_ACCEPT_ENCODING", "gzip"));
        RequestHead head = packet.head();
        assertEquals(new RequestHead("POST", "/a%20b?x=1", "/a%20b", "x=1", "HTTP/1.1",
                List.of(new Header("Host", "example.com"), new Header("Accept-Encoding", "gzip"), new Header("Content-Length", "5")), 5), head);
        assertEquals("HTTP_ACCEPT_ENCODING", head.environKey(1));
        assertEquals("CONTENT_LENGTH", head.environKey(2));
    }

    @Test
    void theVariablesCannotBeChanged() throws Exception {
        UwsgiPacket packet = parse(packet("A", "b"));
        assertThrows(UnsupportedOperationException.class, () -> packet.vars().put("A", "c"));
    }

    // ---------------------------------------------------------------- random input

    /** What one parse came to, as text, so the three feeds can be compared. */
    private static String outcome(byte[] input, Feed feed, long seed) {
        RequestInput in = feed.open(input, seed);
        try {
            UwsgiPacket packet = new UwsgiParser(new ParserOptions(100, 5, 200)).parse(in);
            return packet == null ? "null" : packet + " " + packet.contentLength() + " then " + HexFormat.of().formatHex(in.readAllBytes());
        } catch (UwsgiError e) {
            return "UwsgiError " + e.status() + ": " + e.getMessage();
        } catch (IOException e) {
            return e.getClass().getName();
        } catch (Throwable t) {
            throw new AssertionError("parser threw " + t + " on " + HexFormat.of().formatHex(input) + " fed " + feed, t);
        }
    }

    @Test
    void mutatedPacketsGetTheSameAnswerHoweverTheyArrive() {
        byte[][] valid = {nginx("GET", "/x?y", "", "HTTP_HOST", "h"), packet("CONTENT_LENGTH", "3", "HTTP_A", "b"), packet()};
        Random random = new Random(19);
        for (int i = 0; i < 3000; i++) {
            byte[] input = valid[random.nextInt(valid.length)].clone();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits && input.length > 0; e++) {
                int at = random.nextInt(input.length);
                input = random.nextInt(3) == 0 ? Arrays.copyOf(input, at) : set(input, at, (byte) random.nextInt(256));
            }
            String whole = outcome(input, Feed.WHOLE, i);
            assertEquals(whole, outcome(input, Feed.BYTE_BY_BYTE, i), HexFormat.of().formatHex(input));
            assertEquals(whole, outcome(input, Feed.RANDOM_SPLITS, i), HexFormat.of().formatHex(input));
        }
    }

    private static byte[] set(byte[] bytes, int at, byte b) {
        bytes[at] = b;
        return bytes;
    }
}
