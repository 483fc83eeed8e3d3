package io.jcorn.protocol.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Chunked bodies as data: each is raw bytes and what decoding must give (the body, or the
 * status refusing it), fed whole, a byte per read and in random pieces.
 */
class ChunkedBodyTest {
    /** Bytes after every valid body: they belong to the next request and must stay unread. */
    private static final String NEXT = "GET / HTTP/1.1\r\n";

    record Case(String name, String raw, String expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case ok(String name, String raw, String body) {
        return new Case(name, raw, "body:" + body + "|rest:" + NEXT);
    }

    private static Case bad(String name, int status, String raw) {
        return new Case(name, raw, "status:" + status);
    }

    static Stream<Case> cases() {
        return Stream.of(
                ok("one chunk", "5\r\nhello\r\n0\r\n\r\n" + NEXT, "hello"),
                ok("several chunks", "3\r\nabc\r\n1\r\nd\r\n0\r\n\r\n" + NEXT, "abcd"),
                ok("empty body", "0\r\n\r\n" + NEXT, ""),
                ok("hex sizes, both cases", "a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n" + NEXT,
                        "01234567890123456789"),
                ok("leading zeros", "0005\r\nhello\r\n000\r\n\r\n" + NEXT, "hello"),
                ok("extension without value", "5;x\r\nhello\r\n0\r\n\r\n" + NEXT, "hello"),
                ok("extension with token value", "5;name=val\r\nhello\r\n0;end=1\r\n\r\n" + NEXT, "hello"),
                ok("extensions with BWS", "5 ; a = b ;c\r\nhello\r\n0\r\n\r\n" + NEXT, "hello"),
                ok("quoted extension value", "5;q=\"a \\\"b\\\" ;c\"\r\nhello\r\n0\r\n\r\n" + NEXT, "hello"),
                ok("trailers", "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-More: 1\r\n\r\n" + NEXT, "hello"),
                ok("CRLF inside data is data", "4\r\n\r\n\r\n\r\n0\r\n\r\n" + NEXT, "\r\n\r\n"),
                bad("sign in size", 400, "+5\r\nhello\r\n0\r\n\r\n"),
                bad("negative size", 400, "-5\r\nhello\r\n0\r\n\r\n"),
                bad("0x prefix", 400, "0x5\r\nhello\r\n0\r\n\r\n"),
                bad("underscore in size", 400, "1_0\r\n0123456789abcdef\r\n0\r\n\r\n"),
                bad("empty size", 400, "\r\nhello\r\n0\r\n\r\n"),
                bad("space before size", 400, " 5\r\nhello\r\n0\r\n\r\n"),
                bad("16 hex digits", 400, "1000000000000000\r\nhello\r\n"),
                bad("bare LF after size", 400, "5\nhello\r\n0\r\n\r\n"),
                bad("bare CR after size", 400, "5\rhello\r\n0\r\n\r\n"),
                bad("bare CR in extension", 400, "5;a\rb\r\nhello\r\n0\r\n\r\n"),
                bad("bare CR in quoted extension", 400, "5;a=\"x\ry\"\r\nhello\r\n0\r\n\r\n"),
                bad("unclosed quoted extension", 400, "5;a=\"xy\r\nhello\r\n0\r\n\r\n"),
                bad("extension without name", 400, "5;=b\r\nhello\r\n0\r\n\r\n"),
                bad("junk after size", 400, "5 x\r\nhello\r\n0\r\n\r\n"),
                bad("data longer than its size", 400, "3\r\nhello\r\n0\r\n\r\n"),
                bad("data not followed by CRLF", 400, "5\r\nhelloXX0\r\n\r\n"),
                bad("data followed by bare LF", 400, "5\r\nhello\n0\r\n\r\n"),
                bad("Content-Length trailer", 400, "5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n"),
                bad("Transfer-Encoding trailer", 400, "5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n"),
                bad("Host trailer", 400, "0\r\nhost: evil\r\n\r\n"),
                bad("Authorization trailer", 400, "0\r\nAuthorization: x\r\n\r\n"),
                bad("malformed trailer", 400, "0\r\nX-A : v\r\n\r\n"),
                bad("folded trailer", 400, "0\r\nX-A: v\r\n w\r\n\r\n"),
                bad("trailer line over the field size", 431, "0\r\nX-A: " + "v".repeat(9000) + "\r\n\r\n"),
                bad("more trailers than fields allowed", 431, "0\r\n" + "X-A: v\r\n".repeat(101) + "\r\n"),
                new Case("ends inside a chunk", "5\r\nhel", "eof"),
                new Case("ends before the last chunk", "5\r\nhello\r\n", "eof"),
                new Case("ends inside the trailers", "0\r\nX-A: v\r\n", "eof"));
    }

    enum Feed { WHOLE, BYTE_BY_BYTE, RANDOM_PIECES }

    static Stream<Arguments> casesFedThreeWays() {
        return cases().flatMap(c -> Stream.of(Feed.values()).map(f -> Arguments.of(c, f)));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesFedThreeWays")
    void decodesAsExpected(Case c, Feed feed) {
        byte[] raw = c.raw().getBytes(StandardCharsets.ISO_8859_1);
        for (long seed = 0; seed < (feed == Feed.RANDOM_PIECES ? 5 : 1); seed++) {
            InputStream in = switch (feed) {
                case WHOLE -> new ByteArrayInputStream(raw);
                case BYTE_BY_BYTE -> new HttpParserTest.PieceStream(raw, null);
                case RANDOM_PIECES -> new HttpParserTest.PieceStream(raw, new Random(seed));
            };
            assertEquals(c.expect(), outcome(in, ParserOptions.DEFAULT, seed), c.name() + " seed " + seed);
        }
    }

    @Test
    void trailersAreKept() throws IOException {
        ChunkedBody body = new ChunkedBody(stream("1\r\na\r\n0\r\nX-Sum: 1\r\nX-Other:  two \r\n\r\n"), ParserOptions.DEFAULT);
        body.readAllBytes();
        assertEquals(List.of(new Header("X-Sum", "1"), new Header("X-Other", "two")), body.trailers());
    }

    @Test
    void stripHeaderSpacesAppliesToTrailersToo() throws IOException {
        ChunkedBody body = new ChunkedBody(stream("0\r\nX-Sum \t: 1\r\n\r\n"),
                ParserOptions.DEFAULT.withHeaderSpacesStripped(true));
        body.readAllBytes();
        assertEquals(List.of(new Header("X-Sum", "1")), body.trailers());
    }

    @Test
    void aTrailerLinesSizeCountsItsCrlf() {
        ParserOptions nine = new ParserOptions(4094, 100, 9); // "X-A: v" is 6 bytes, 8 with its CRLF
        assertEquals("body:|rest:", outcome(stream("0\r\nX-A: v\r\n\r\n"), nine, 0));
        assertEquals("status:431", outcome(stream("0\r\nX-A: vw\r\n\r\n"), new ParserOptions(4094, 100, 8), 0));
    }

    @Test
    void beforeFirstReadRunsOnceAtTheFirstRead() throws IOException {
        ChunkedBody body = new ChunkedBody(stream("3\r\nabc\r\n0\r\n\r\n"), ParserOptions.DEFAULT);
        AtomicInteger runs = new AtomicInteger();
        body.beforeFirstRead(runs::incrementAndGet);
        assertEquals(0, runs.get());
        assertEquals('a', body.read());
        body.readAllBytes();
        assertEquals(1, runs.get());
    }

    @Test
    void aMegabyteInOddChunksRoundTrips() throws Exception {
        Random random = new Random(7);
        byte[] data = new byte[1 << 20];
        random.nextBytes(data);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int pos = 0; pos < data.length; ) {
            int n = Math.min(1 + random.nextInt(20_000), data.length - pos);
            wire.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            wire.write(data, pos, n);
            wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            pos += n;
        }
        wire.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        ChunkedBody body = new ChunkedBody(new ByteArrayInputStream(wire.toByteArray()), ParserOptions.DEFAULT);
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data)),
                java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(body.readAllBytes())));
    }

    /** Random bytes, and random mutations of valid bodies, only ever end, refuse or hit EOF. */
    @Test
    void randomInputNeverCrashesOrHangs() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(42);
            List<Case> valid = cases().filter(c -> c.expect().startsWith("body:")).toList();
            for (int i = 0; i < 20_000; i++) {
                byte[] input;
                if (i % 2 == 0) {
                    input = new byte[random.nextInt(64)];
                    random.nextBytes(input);
                } else {
                    input = valid.get(random.nextInt(valid.size())).raw().getBytes(StandardCharsets.ISO_8859_1);
                    for (int m = 0; m < 1 + random.nextInt(3); m++) input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                String result = outcome(new HttpParserTest.PieceStream(input, new Random(i)), new ParserOptions(32, 3, 24), i);
                if (result.startsWith("crash")) throw new AssertionError(result + " on " + java.util.HexFormat.of().formatHex(input));
            }
        });
    }

    private static String outcome(InputStream stream, ParserOptions options, long seed) {
        RequestInput in = new RequestInput(stream, 16);
        ChunkedBody body = new ChunkedBody(in, options);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 + (int) (seed % 7)];
            for (int n; (n = body.read(buf, 0, buf.length)) >= 0; ) out.write(buf, 0, n);
            return "body:" + out.toString(StandardCharsets.ISO_8859_1) + "|rest:"
                    + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (BodyFramingException e) {
            return "status:" + e.status();
        } catch (java.io.EOFException e) {
            return "eof";
        } catch (IOException | RuntimeException e) {
            return "crash:" + e;
        }
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
