package io.jcorn.protocol.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Request heads as data: each case is raw bytes and what the parser must make of them, and each
 * is fed whole, a byte per read, and in random pieces, with the same result every time.
 */
class HttpParserTest {

    /** Bytes placed after every valid head: the parser must leave them all unread. */
    private static final String BODY = "BODY\r\n\u00ff";

    // ---------------------------------------------------------------- expectations

    sealed interface Expect {}

    /** The head parses to exactly this, and the stream is left at the first body byte. */
    record Parsed(RequestHead head) implements Expect {}

    /** The head is refused with this status. */
    record Rejected(int status) implements Expect {}

    /** The stream ended cleanly before a request began: parse returns null. */
    record NoRequest() implements Expect {}

    /** The stream ended inside the head: EOFException. */
    record Truncated() implements Expect {}

    record Case(String name, String raw, ParserOptions options, Expect expect) {
        Case with(ParserOptions other) {
            return new Case(name, raw, other, expect);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case ok(String name, String raw, RequestHead head) {
        return new Case(name, raw, ParserOptions.DEFAULT, new Parsed(head));
    }

    private static Case bad(String name, int status, String raw) {
        return new Case(name, raw, ParserOptions.DEFAULT, new Rejected(status));
    }

    /** A head with no body; {@code headers} alternates names and values. */
    private static RequestHead head(String method, String target, String path, String query, String version,
                                    String... headers) {
        return head(method, target, path, query, version, 0, headers);
    }

    private static RequestHead head(String method, String target, String path, String query, String version,
                                    long contentLength, String... headers) {
        List<Header> list = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) list.add(new Header(headers[i], headers[i + 1]));
        return new RequestHead(method, target, path, query, version, list, contentLength);
    }

    /** A GET / HTTP/1.1 with Host: h and the given extra header lines, each without its CRLF. */
    private static String get(String... lines) {
        StringBuilder raw = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (String line : lines) raw.append(line).append("\r\n");
        return raw.append("\r\n").toString();
    }

    private static RequestHead getHead(long contentLength, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Host";
        all[1] = "h";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return head("GET", "/", "/", "", "HTTP/1.1", contentLength, all);
    }

    /** {@code GET path HTTP/1.1} with Host: h under {@code options}: parsed if {@code status} is 200, else refused with it. */
    private static Case target(String name, String path, ParserOptions options, int status) {
        return new Case(name, "GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n", options, status == 200
                ? new Parsed(head("GET", path, path, "", "HTTP/1.1", "Host", "h")) : new Rejected(status));
    }

    private static String headerLines(int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) lines.append("X-").append(i).append(": v\r\n");
        return lines.toString();
    }

    private static String[] headerPairs(int count) {
        String[] pairs = new String[2 * count];
        for (int i = 0; i < count; i++) {
            pairs[2 * i] = "X-" + i;
            pairs[2 * i + 1] = "v";
        }
        return pairs;
    }

    // ---------------------------------------------------------------- cases

    static Stream<Case> requestLines() {
        return Stream.of(
                ok("GET origin-form", "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n",
                        head("GET", "/index.html", "/index.html", "", "HTTP/1.1", "Host", "example.com")),
                ok("query split at the first '?'", "GET /search?q=a%20b&x=1 HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("GET", "/search?q=a%20b&x=1", "/search", "q=a%20b&x=1", "HTTP/1.1", "Host", "h")),
                ok("'?' inside the query stays in it", "GET /p?a?b=c HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("GET", "/p?a?b=c", "/p", "a?b=c", "HTTP/1.1", "Host", "h")),
                ok("empty query", "GET /p? HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("GET", "/p?", "/p", "", "HTTP/1.1", "Host", "h")),
                ok("path stays percent-encoded", "GET /a%2Fb%20c HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("GET", "/a%2Fb%20c", "/a%2Fb%20c", "", "HTTP/1.1", "Host", "h")),
                ok("absolute-form with path and query",
                        "GET http://example.com/a/b?c=d HTTP/1.1\r\nHost: example.com\r\n\r\n",
                        head("GET", "http://example.com/a/b?c=d", "/a/b", "c=d", "HTTP/1.1", "Host", "example.com")),
                ok("absolute-form with port", "GET https://example.com:8443/p HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("GET", "https://example.com:8443/p", "/p", "", "HTTP/1.1", "Host", "h")),
                ok("absolute-form without path is /", "GET http://example.com HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("GET", "http://example.com", "/", "", "HTTP/1.1", "Host", "h")),
                ok("absolute-form with query but no path", "GET http://example.com?x=1 HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("GET", "http://example.com?x=1", "/", "x=1", "HTTP/1.1", "Host", "h")),
                ok("absolute-form with '/' inside the query", "GET http://example.com?x=/y HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("GET", "http://example.com?x=/y", "/", "x=/y", "HTTP/1.1", "Host", "h")),
                ok("OPTIONS asterisk-form", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("OPTIONS", "*", "", "", "HTTP/1.1", "Host", "h")),
                ok("CONNECT authority-form", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
                        head("CONNECT", "example.com:443", "", "", "HTTP/1.1", "Host", "example.com:443")),
                ok("extension method", "M-SEARCH /x HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("M-SEARCH", "/x", "/x", "", "HTTP/1.1", "Host", "h")),
                bad("lower-case method", 400, "get / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("mixed-case method", 400, "Get / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("'#' in method", 400, "GE#T / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("two-byte method", 400, "GE / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("21-byte method", 400, "A".repeat(21) + " / HTTP/1.1\r\nHost: h\r\n\r\n"),
                ok("20-byte method", "A".repeat(20) + " / HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("A".repeat(20), "/", "/", "", "HTTP/1.1", "Host", "h")),
                ok("leading empty lines are skipped", "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", getHead(0)),
                ok("eight leading empty lines are skipped", "\r\n".repeat(8) + get(), getHead(0)),
                bad("nine leading empty lines", 400, "\r\n".repeat(9) + get()),
                ok("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", head("GET", "/", "/", "", "HTTP/1.0")),
                ok("HTTP/1.0 with Host", "GET / HTTP/1.0\r\nHost: h\r\n\r\n",
                        head("GET", "/", "/", "", "HTTP/1.0", "Host", "h")),
                bad("HTTP/1.1 without Host", 400, "GET / HTTP/1.1\r\n\r\n"),
                bad("HTTP/1.1 without Host, other fields present", 400, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
                bad("two Host fields", 400, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                bad("two Host fields, same value", 400, "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
                bad("two Host fields, names differ in case", 400, "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n"),
                bad("two Host fields in HTTP/1.0", 400, "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"),
                bad("two Content-Type fields", 400, get("Content-Type: text/plain", "Content-Type: text/html")),
                bad("two Content-Type fields, same value", 400, get("Content-Type: text/plain", "content-type: text/plain")),
                bad("two Content-Type fields in HTTP/1.0", 400,
                        "POST / HTTP/1.0\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n"),
                ok("one Content-Type", get("Content-Type: text/plain"), getHead(0, "Content-Type", "text/plain")),
                ok("Content_Type beside Content-Type is dropped, no second Content-Type",
                        get("Content-Type: a", "Content_Type: b"), getHead(0, "Content-Type", "a")),
                bad("'(' in method", 400, "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("'@' in method", 400, "GET@ / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("non-ASCII byte in method", 400, "G\u00c9T / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("two spaces after method", 400, "GET  / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("two spaces before version", 400, "GET /  HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("space before method", 400, " GET / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("space after version", 400, "GET / HTTP/1.1 \r\nHost: h\r\n\r\n"),
                bad("tabs as separators", 400, "GET\t/\tHTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("no version", 400, "GET /\r\nHost: h\r\n\r\n"),
                bad("method only", 400, "GET\r\nHost: h\r\n\r\n"),
                bad("empty request-target", 400, "GET  HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("fragment in target", 400, "GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("non-ASCII byte in target", 400, "GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("DEL in target", 400, "GET /a\u007f HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("control byte in target", 400, "GET /a\u0001 HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("asterisk-form with GET", 400, "GET * HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("bare host as target of GET", 400, "GET example.com HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("absolute-form without scheme", 400, "GET ://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("HTTP/2.0", 505, "GET / HTTP/2.0\r\nHost: h\r\n\r\n"),
                bad("HTTP/1.2", 505, "GET / HTTP/1.2\r\nHost: h\r\n\r\n"),
                bad("HTTP/3.0", 505, "GET / HTTP/3.0\r\nHost: h\r\n\r\n"),
                bad("HTTP/0.9", 505, "GET / HTTP/0.9\r\n\r\n"),
                bad("HTTP/x", 400, "GET / HTTP/x\r\nHost: h\r\n\r\n"),
                bad("HTTP/1", 400, "GET / HTTP/1\r\nHost: h\r\n\r\n"),
                bad("HTTP/1.10", 400, "GET / HTTP/1.10\r\nHost: h\r\n\r\n"),
                bad("HTTP/1.x", 400, "GET / HTTP/1.x\r\nHost: h\r\n\r\n"),
                bad("lower-case http/1.1", 400, "GET / http/1.1\r\nHost: h\r\n\r\n"),
                bad("HTTPS/1.1", 400, "GET / HTTPS/1.1\r\nHost: h\r\n\r\n"));
    }

    static Stream<Case> headerFields() {
        return Stream.of(
                ok("field name case is kept", get("X-Mixed-CASE: v"), getHead(0, "X-Mixed-CASE", "v")),
                ok("fields keep their order", get("B: 2", "A: 1", "B: 3"), getHead(0, "B", "2", "A", "1", "B", "3")),
                ok("no space after colon", get("X-A:v"), getHead(0, "X-A", "v")),
                ok("empty value", get("X-Empty:"), getHead(0, "X-Empty", "")),
                ok("blank value", get("X-Empty: \t "), getHead(0, "X-Empty", "")),
                ok("colon inside value", get("X-Url: http://a:1/b"), getHead(0, "X-Url", "http://a:1/b")),
                ok("HTAB around value is trimmed", get("X-A:\t v1 \t"), getHead(0, "X-A", "v1")),
                ok("HTAB inside value is kept", get("X-A: a\tb"), getHead(0, "X-A", "a\tb")),
                ok("spaces inside value are kept", get("X-A: a  b"), getHead(0, "X-A", "a  b")),
                ok("obs-text is read as ISO-8859-1", get("X-A: caf\u00e9 \u0080\u00ff"),
                        getHead(0, "X-A", "caf\u00e9 \u0080\u00ff")),
                ok("names with '_' are dropped", get("X_Forwarded_For: evil", "X-Forwarded-For: good"),
                        getHead(0, "X-Forwarded-For", "good")),
                ok("Content_Length is dropped, not a length", get("Content_Length: 5"), getHead(0)),
                bad("space before colon", 400, get("X-A : v")),
                bad("HTAB before colon", 400, get("X-A\t: v")),
                bad("no colon", 400, get("X-A v")),
                bad("empty field name", 400, get(": v")),
                bad("'(' in field name", 400, get("X(A): v")),
                bad("non-ASCII byte in field name", 400, get("X-\u00e9: v")),
                bad("obs-fold continuation line", 400, get("X-A: a", " b")),
                bad("obs-fold with HTAB", 400, get("X-A: a", "\tb")),
                bad("whitespace before the first field", 400, "GET / HTTP/1.1\r\n Host: h\r\n\r\n"),
                bad("NUL in value", 400, get("X-A: a\u0000b")),
                bad("SOH in value", 400, get("X-A: a\u0001b")),
                bad("ESC in value", 400, get("X-A: a\u001bb")),
                bad("DEL in value", 400, get("X-A: a\u007fb")),
                bad("trailing NUL in value", 400, get("X-A: a\u0000")));
    }

    static Stream<Case> lineEndings() {
        return Stream.of(
                bad("bare LF everywhere", 400, "GET / HTTP/1.1\nHost: h\n\n"),
                bad("bare LF after request line", 400, "GET / HTTP/1.1\nHost: h\r\n\r\n"),
                bad("bare LF after a field", 400, "GET / HTTP/1.1\r\nHost: h\n\r\n"),
                bad("bare LF ending the head", 400, "GET / HTTP/1.1\r\nHost: h\r\n\n"),
                bad("bare LF as a leading empty line", 400, "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("bare CR after request line", 400, "GET / HTTP/1.1\rHost: h\r\n\r\n"),
                bad("bare CR inside a value", 400, get("X-A: a\rb")),
                bad("CR CR LF", 400, "GET / HTTP/1.1\r\r\nHost: h\r\n\r\n"));
    }

    static Stream<Case> contentLength() {
        return Stream.of(
                ok("Content-Length", get("Content-Length: 5"), getHead(5, "Content-Length", "5")),
                ok("Content-Length 0", get("Content-Length: 0"), getHead(0, "Content-Length", "0")),
                ok("Content-Length name in lower case", get("content-length: 5"), getHead(5, "content-length", "5")),
                ok("Content-Length with leading zeros", get("Content-Length: 007"), getHead(7, "Content-Length", "007")),
                ok("Content-Length of 18 digits", get("Content-Length: 999999999999999999"),
                        getHead(999_999_999_999_999_999L, "Content-Length", "999999999999999999")),
                // RFC 9112 §5: OWS around a field value is not part of it, so "5 " is the value "5".
                ok("Content-Length with trailing space", get("Content-Length: 5 "), getHead(5, "Content-Length", "5")),
                ok("Content-Length with surrounding HTAB", get("Content-Length:\t5\t"),
                        getHead(5, "Content-Length", "5")),
                // RFC 9110 §5.3: a singleton field cannot be combined; Gunicorn 26.1 refuses even equal ones
                bad("equal duplicate Content-Length", 400, get("Content-Length: 5", "Content-Length: 5")),
                bad("duplicate Content-Length, names differ in case", 400, get("Content-Length: 5", "content-length: 5")),
                bad("Content-Length +5", 400, get("Content-Length: +5")),
                bad("Content-Length -1", 400, get("Content-Length: -1")),
                bad("Content-Length 0x5", 400, get("Content-Length: 0x5")),
                bad("Content-Length 5a", 400, get("Content-Length: 5a")),
                bad("Content-Length 5.0", 400, get("Content-Length: 5.0")),
                bad("Content-Length with inner space", 400, get("Content-Length: 1 2")),
                bad("Content-Length list", 400, get("Content-Length: 5, 5")),
                bad("Content-Length empty", 400, get("Content-Length:")),
                bad("Content-Length beyond a long", 400, get("Content-Length: 99999999999999999999")),
                bad("Content-Length \u00bd (a Latin-1 byte)", 400, get("Content-Length: \u00bd")),
                bad("differing Content-Length", 400, get("Content-Length: 5", "Content-Length: 6")),
                bad("Content-Length then Transfer-Encoding", 400,
                        get("Content-Length: 5", "Transfer-Encoding: chunked")),
                bad("Transfer-Encoding then Content-Length", 400,
                        get("Transfer-Encoding: chunked", "Content-Length: 5")),
                ok("Transfer-Encoding chunked", get("Transfer-Encoding: chunked"),
                        getHead(RequestHead.CHUNKED, "Transfer-Encoding", "chunked")),
                ok("gzip, then chunked", get("transfer-encoding: gzip, Chunked"),
                        getHead(RequestHead.CHUNKED, "transfer-encoding", "gzip, Chunked")),
                ok("codings over two fields", get("Transfer-Encoding: gzip", "Transfer-Encoding: chunked"),
                        getHead(RequestHead.CHUNKED, "Transfer-Encoding", "gzip", "Transfer-Encoding", "chunked")),
                bad("chunked not last", 400, get("Transfer-Encoding: chunked, gzip")),
                bad("chunked twice", 400, get("Transfer-Encoding: chunked, chunked")),
                bad("chunked, then a second field", 400, get("Transfer-Encoding: chunked", "Transfer-Encoding: gzip")),
                bad("gzip alone: length unknown", 400, get("Transfer-Encoding: gzip")),
                bad("empty Transfer-Encoding", 400, get("Transfer-Encoding:")),
                bad("empty coding in the list", 400, get("Transfer-Encoding: gzip,,chunked")),
                bad("unknown coding", 501, get("Transfer-Encoding: br, chunked")),
                bad("chunked in quotes", 501, get("Transfer-Encoding: \"chunked\"")),
                bad("Transfer-Encoding in HTTP/1.0", 400,
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"));
    }

    static Stream<Case> limits() {
        String line20 = "GET /678901 HTTP/1.1"; // 20 bytes
        ParserOptions line20Limit = new ParserOptions(20, 100, 8190);
        String field19 = "X-A: 67890123456789"; // 19 bytes, 21 with its CRLF
        ParserOptions fieldLimit = new ParserOptions(4094, 100, 21);
        ParserOptions twoFields = new ParserOptions(4094, 2, 8190);
        String longPath = "/" + "a".repeat(9_999);
        String path4094 = "/" + "a".repeat(4094 - 14); // "GET " + path + " HTTP/1.1" is 4094 bytes
        String path8190 = "/" + "a".repeat(8190 - 14);
        String pathMiB = "/" + "a".repeat(ParserOptions.UNLIMITED_LINE - 14);
        return Stream.of(
                new Case("request line at the limit", line20 + "\r\nHost: h\r\n\r\n", line20Limit,
                        new Parsed(head("GET", "/678901", "/678901", "", "HTTP/1.1", "Host", "h"))),
                new Case("request line one byte over the limit", "GET /6789012 HTTP/1.1\r\nHost: h\r\n\r\n",
                        line20Limit, new Rejected(414)),
                ok("request line at the default 4094", "GET " + path4094 + " HTTP/1.1\r\nHost: h\r\n\r\n",
                        head("GET", path4094, path4094, "", "HTTP/1.1", "Host", "h")),
                bad("request line over the default 4094", 414,
                        "GET " + path4094 + "a HTTP/1.1\r\nHost: h\r\n\r\n"),
                // Gunicorn takes any limit and reads one above 8190 as 8190
                target("request line limit above 8190: 8190 passes", path8190, new ParserOptions(20_000, 100, 8190), 200),
                target("request line limit above 8190: 8191 is refused", path8190 + "a",
                        new ParserOptions(20_000, 100, 8190), 414),
                target("request line limit 0 is unlimited", longPath, new ParserOptions(0, 100, 8190), 200),
                target("request line limit 0: 1 MiB passes", pathMiB, new ParserOptions(0, 100, 8190), 200),
                target("request line limit 0: 1 MiB and a byte is refused", pathMiB + "a",
                        new ParserOptions(0, 100, 8190), 414),
                // the field size counts the line's CRLF, as Gunicorn counts it
                new Case("field line and CRLF at the limit", get(field19), fieldLimit,
                        new Parsed(getHead(0, "X-A", "67890123456789"))),
                new Case("field line and CRLF one byte over the limit", get(field19 + "0"), fieldLimit, new Rejected(431)),
                new Case("a 97-byte field line under a limit of 98", get("X-A: " + "v".repeat(92)),
                        new ParserOptions(4094, 100, 98), new Rejected(431)),
                new Case("a 96-byte field line under a limit of 98", get("X-A: " + "v".repeat(91)),
                        new ParserOptions(4094, 100, 98), new Parsed(getHead(0, "X-A", "v".repeat(91)))),
                new Case("a field size limit of 2 refuses every field", get(), new ParserOptions(4094, 100, 2),
                        new Rejected(431)),
                bad("field line over the default 8190", 431, get("X-A: " + "v".repeat(8190 - 6))),
                ok("field line at the default 8190", get("X-A: " + "v".repeat(8190 - 7)),
                        getHead(0, "X-A", "v".repeat(8190 - 7))),
                new Case("field size limit 0 means 8190, not unlimited", get("X-A: " + "v".repeat(8190 - 6)),
                        new ParserOptions(4094, 100, 0), new Rejected(431)),
                new Case("field size limit 0: 8190 passes", get("X-A: " + "v".repeat(8190 - 7)),
                        new ParserOptions(4094, 100, 0), new Parsed(getHead(0, "X-A", "v".repeat(8190 - 7)))),
                new Case("field size limit above 8190 is taken as given", get("X-A: " + "v".repeat(20_000)),
                        new ParserOptions(4094, 100, 20_007), new Parsed(getHead(0, "X-A", "v".repeat(20_000)))),
                new Case("fields at the limit", get("X-A: v"), twoFields, new Parsed(getHead(0, "X-A", "v"))),
                new Case("one field over the limit", get("X-A: v", "X-B: v"), twoFields, new Rejected(431)),
                new Case("dropped '_' fields still count", get("X_A: v", "X-B: v"), twoFields, new Rejected(431)),
                bad("101 fields over the default 100", 431,
                        "GET / HTTP/1.1\r\nHost: h\r\n" + headerLines(100) + "\r\n"),
                ok("100 fields at the default 100", "GET / HTTP/1.1\r\nHost: h\r\n" + headerLines(99) + "\r\n",
                        getHead(0, headerPairs(99))),
                // Gunicorn reads a field count of 0, or above 32768, as 32768
                new Case("field count limit 0 means 32768",
                        "GET / HTTP/1.1\r\nHost: h\r\n" + headerLines(200) + "\r\n", new ParserOptions(4094, 0, 8190),
                        new Parsed(getHead(0, headerPairs(200)))),
                new Case("field count limit 0: 32769 fields are refused",
                        "GET / HTTP/1.1\r\nHost: h\r\n" + headerLines(ParserOptions.MAX_FIELDS) + "\r\n",
                        new ParserOptions(4094, 0, 8190), new Rejected(431)),
                new Case("field count limit above 32768: 32769 fields are refused",
                        "GET / HTTP/1.1\r\nHost: h\r\n" + headerLines(ParserOptions.MAX_FIELDS) + "\r\n",
                        new ParserOptions(4094, 50_000, 8190), new Rejected(431)));
    }

    /** The opt-ins: --permit-unconventional-http-method, --casefold-http-method, --permit-obsolete-folding, --header-map. */
    static Stream<Case> options() {
        ParserOptions unconventional = ParserOptions.DEFAULT.withMethodRules(true, false);
        ParserOptions casefold = ParserOptions.DEFAULT.withMethodRules(true, true);
        ParserOptions folding = ParserOptions.DEFAULT.withObsoleteFolding(true);
        ParserOptions refuse = ParserOptions.DEFAULT.withHeaderMap(ParserOptions.HeaderMap.REFUSE);
        ParserOptions dangerous = ParserOptions.DEFAULT.withHeaderMap(ParserOptions.HeaderMap.DANGEROUS);
        ParserOptions strip = ParserOptions.DEFAULT.withHeaderSpacesStripped(true);
        return Stream.of(
                new Case("unconventional: lower-case method kept", "get / HTTP/1.1\r\nHost: h\r\n\r\n", unconventional,
                        new Parsed(head("get", "/", "/", "", "HTTP/1.1", "Host", "h"))),
                new Case("unconventional: one-byte method", "G / HTTP/1.1\r\nHost: h\r\n\r\n", unconventional,
                        new Parsed(head("G", "/", "/", "", "HTTP/1.1", "Host", "h"))),
                new Case("unconventional: still a token", "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", unconventional,
                        new Rejected(400)),
                new Case("casefold: method upper-cased", "gEt / HTTP/1.1\r\nHost: h\r\n\r\n", casefold,
                        new Parsed(head("GET", "/", "/", "", "HTTP/1.1", "Host", "h"))),
                new Case("casefold alone: lower-case still refused", "get / HTTP/1.1\r\nHost: h\r\n\r\n",
                        ParserOptions.DEFAULT.withMethodRules(false, true), new Rejected(400)),
                new Case("folding: SP continuation joined by one space", get("X-A: a", "   b  ", "X-B: c"), folding,
                        new Parsed(getHead(0, "X-A", "a b", "X-B", "c"))),
                new Case("folding: HTAB continuation", get("X-A: a", "\tb", "\tc"), folding,
                        new Parsed(getHead(0, "X-A", "a b c"))),
                new Case("folding: continuation of an empty value", get("X-A:", " b"), folding,
                        new Parsed(getHead(0, "X-A", "b"))),
                new Case("folding: continuation of a dropped field is dropped", get("X_A: a", " b", "X-B: c"), folding,
                        new Parsed(getHead(0, "X-B", "c"))),
                new Case("folding: before the first field", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", folding,
                        new Rejected(400)),
                new Case("folding: control byte in continuation", get("X-A: a", " b\u0001"), folding,
                        new Rejected(400)),
                // a folded field is one field: its lines and their CRLFs count together, as in Gunicorn
                new Case("folding: field and continuation at the field size", get("X-A: a", " b"),
                        new ParserOptions(4094, 100, 12).withObsoleteFolding(true), new Parsed(getHead(0, "X-A", "a b"))),
                new Case("folding: field and continuation over the field size", get("X-A: a", " bc"),
                        new ParserOptions(4094, 100, 12).withObsoleteFolding(true), new Rejected(431)),
                new Case("strip-header-spaces: space before colon", get("X-A : v"), strip,
                        new Parsed(getHead(0, "X-A", "v"))),
                new Case("strip-header-spaces: spaces and tabs before colon", get("X-A \t : v"), strip,
                        new Parsed(getHead(0, "X-A", "v"))),
                new Case("strip-header-spaces: a stripped Content-Length frames the body", get("Content-Length : 5"),
                        strip, new Parsed(getHead(5, "Content-Length", "5"))),
                new Case("strip-header-spaces: a stripped Host is a second Host", get("Host : evil"), strip,
                        new Rejected(400)),
                new Case("strip-header-spaces: space inside the name still refused", get("X A: v"), strip,
                        new Rejected(400)),
                new Case("strip-header-spaces: blanks alone are no name", get(" : v"), strip, new Rejected(400)),
                new Case("strip-header-spaces: '_' name stripped, then dropped", get("X_A : v"), strip,
                        new Parsed(getHead(0))),
                new Case("header-map refuse: '_' name is 400", get("X_A: v"), refuse, new Rejected(400)),
                new Case("header-map refuse: '-' names pass", get("X-A: v"), refuse, new Parsed(getHead(0, "X-A", "v"))),
                new Case("header-map dangerous: '_' name kept", get("X_A: v", "X-A: w"), dangerous,
                        new Parsed(getHead(0, "X_A", "v", "X-A", "w"))),
                new Case("header-map dangerous: Content_Type is no second Content-Type",
                        get("Content-Type: a", "Content_Type: b"), dangerous,
                        new Parsed(getHead(0, "Content-Type", "a", "Content_Type", "b"))),
                new Case("header-map dangerous: Content_Length frames nothing",
                        get("Content-Length: 1", "Content_Length: 5"), dangerous,
                        new Parsed(getHead(1, "Content-Length", "1", "Content_Length", "5"))));
    }

    static Stream<Case> endOfStream() {
        return Stream.of(
                new Case("no bytes at all", "", ParserOptions.DEFAULT, new NoRequest()),
                new Case("inside the request line", "GET / HT", ParserOptions.DEFAULT, new Truncated()),
                new Case("after the request line", "GET / HTTP/1.1\r\n", ParserOptions.DEFAULT, new Truncated()),
                new Case("inside a field", "GET / HTTP/1.1\r\nHo", ParserOptions.DEFAULT, new Truncated()),
                new Case("before the empty line", "GET / HTTP/1.1\r\nHost: h\r\n", ParserOptions.DEFAULT, new Truncated()),
                // parse() documents IOException for a stream that ends inside the head, CR included
                new Case("between CR and LF of a field", "GET / HTTP/1.1\r\nHost: h\r", ParserOptions.DEFAULT,
                        new Truncated()),
                new Case("between CR and LF of the empty line", "GET / HTTP/1.1\r\nHost: h\r\n\r", ParserOptions.DEFAULT,
                        new Truncated()));
    }

    static Stream<Case> allCases() {
        return Stream.of(requestLines(), headerFields(), lineEndings(), contentLength(), limits(), options(), endOfStream())
                .flatMap(s -> s);
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

        @Override
        public int available() {
            return 0;
        }
    }

    static Stream<Arguments> casesFedThreeWays() {
        return allCases().flatMap(c -> Stream.of(Feed.values()).map(f -> Arguments.of(c, f)));
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- tests

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesFedThreeWays")
    void parsesAsExpected(Case c, Feed feed) throws Exception {
        HttpParser parser = new HttpParser(c.options());
        String what = c.name() + ", fed " + feed;
        switch (c.expect()) {
            case Parsed parsed -> {
                RequestInput in = feed.open(latin1(c.raw() + BODY), c.name().hashCode());
                RequestHead head = assertDoesNotThrow(() -> parser.parse(in), what);
                assertEquals(parsed.head(), head, what);
                assertArrayEquals(latin1(BODY), in.readAllBytes(), what + ": the parser must stop at the first body byte");
            }
            case Rejected rejected -> {
                HttpError e = assertThrows(HttpError.class,
                        () -> parser.parse(feed.open(latin1(c.raw()), c.name().hashCode())), what);
                assertEquals(rejected.status(), e.status(), what + ": " + e.getMessage());
            }
            case NoRequest none -> assertNull(parser.parse(feed.open(latin1(c.raw()), 1)), what);
            case Truncated truncated ->
                    assertThrows(EOFException.class, () -> parser.parse(feed.open(latin1(c.raw()), 1)), what);
        }
    }

    @Test
    void headerLookupIgnoresCase() throws Exception {
        RequestHead head = parse(get("X-Thing: 1", "x-thing: 2"));
        assertEquals("1", head.header("X-THING"));
        assertEquals("h", head.header("host"));
        assertNull(head.header("X-Missing"));
    }

    @Test
    void pipelinedRequestsAreFramedOneAfterAnother() throws Exception {
        String first = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody";
        String second = "\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"; // a stray CRLF after a body is skipped
        for (Feed feed : Feed.values()) {
            RequestInput in = feed.open(latin1(first + second), 7);
            HttpParser parser = new HttpParser(ParserOptions.DEFAULT);

            RequestHead a = parser.parse(in);
            assertEquals("/a", a.path(), feed.name());
            assertArrayEquals(latin1("body"), new FixedLengthBody(in, a.contentLength()).readAllBytes());
            assertEquals("/b", parser.parse(in).path(), feed.name());
            assertNull(parser.parse(in), feed.name());
        }
    }

    @Test
    void aReusedHeadHoldsOnlyTheNextRequest() throws Exception {
        String first = "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nX-One: 1\r\nX-Two: 2\r\nContent-Length: 0\r\n\r\n";
        String second = "GET /b HTTP/1.0\r\nUser-Agent: u\r\n\r\n";
        for (Feed feed : Feed.values()) {
            RequestInput in = feed.open(latin1(first + second), 11);
            HttpParser parser = new HttpParser(ParserOptions.DEFAULT);

            RequestHead a = parser.parse(in, null);
            assertEquals(parse(first), a, feed.name());
            RequestHead b = parser.parse(in, a);
            assertEquals(parse(second), b, feed.name());
            assertEquals(1, b.fieldCount(), feed.name());
            assertNull(b.header("X-One"), feed.name());
            assertNull(parser.parse(in, b), feed.name());
        }
    }

    private static RequestHead parse(String raw) throws Exception {
        return new HttpParser(ParserOptions.DEFAULT).parse(new RequestInput(new ByteArrayInputStream(latin1(raw))));
    }

    // ---------------------------------------------------------------- random input

    /** What one parse came to, as text, so the three feeds can be compared. */
    private static String outcome(byte[] input, ParserOptions options, Feed feed, long seed) {
        RequestInput in = feed.open(input, seed);
        try {
            RequestHead head = new HttpParser(options).parse(in);
            return head == null ? "null" : head + " then " + HexFormat.of().formatHex(in.readAllBytes());
        } catch (HttpError e) {
            return "HttpError " + e.status() + ": " + e.getMessage();
        } catch (IOException e) {
            return e.getClass().getName();
        } catch (Throwable t) {
            throw new AssertionError("parser threw " + t + " on " + HexFormat.of().formatHex(input)
                    + " fed " + feed, t);
        }
    }

    private static final String[] VALID = {
            "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
            "POST /p?q=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nX-A: \tv\t\r\n\r\nabc",
            "GET http://example.com/x HTTP/1.0\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n",
            "\r\nCONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nX_Y: z\r\n\r\n",
    };

    private static final byte[] INTERESTING = latin1("\r\n \t:_/?*#%-+0123456789HTTP/1.\u0000\u007f\u0080\u00ff");

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] out = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = random.nextInt(out.length);
            byte b = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
            out = switch (random.nextInt(4)) {
                case 0 -> { out[at] = b; yield out; }
                case 1 -> insert(out, at, b);
                case 2 -> remove(out, at);
                default -> Arrays.copyOf(out, at); // truncate
            };
        }
        return out;
    }

    private static byte[] insert(byte[] in, int at, byte b) {
        byte[] out = new byte[in.length + 1];
        System.arraycopy(in, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(in, at, out, at + 1, in.length - at);
        return out;
    }

    private static byte[] remove(byte[] in, int at) {
        byte[] out = new byte[in.length - 1];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + 1, out, at, in.length - at - 1);
        return out;
    }

    private static byte[] randomBytes(Random random) {
        byte[] out = new byte[random.nextInt(300)];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextInt(3) == 0 ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
        }
        return out;
    }

    @Test
    void randomInputOnlyEverFailsWithHttpErrorOrIOException() {
        Random random = new Random(0x6a636f726eL);
        ParserOptions[] limits = {ParserOptions.DEFAULT, new ParserOptions(32, 3, 24), new ParserOptions(0, 0, 0),
                new ParserOptions(0, 0, 0, true, true, true, ParserOptions.HeaderMap.DANGEROUS, true)};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 2_000; i++) {
                byte[] input = i % 2 == 0
                        ? randomBytes(random)
                        : mutate(latin1(VALID[random.nextInt(VALID.length)]), random);
                ParserOptions limit = limits[random.nextInt(limits.length)];
                long seed = random.nextLong();
                String whole = outcome(input, limit, Feed.WHOLE, seed);
                for (Feed feed : List.of(Feed.BYTE_BY_BYTE, Feed.RANDOM_SPLITS)) {
                    String other = outcome(input, limit, feed, seed);
                    if (!whole.equals(other)) {
                        fail("fed " + feed + " the parser says " + other + " but fed whole " + whole
                                + "; input " + HexFormat.of().formatHex(input));
                    }
                }
            }
        });
    }
}
