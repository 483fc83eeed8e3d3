package io.jcorn.protocol.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestInputTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void resetReturnsToTheMarkAcrossRefills() throws IOException {
        RequestInput in = new RequestInput(new HttpParserTest.PieceStream(ascii("PROXY v1 and more"), null), 4);
        in.mark(1);
        assertEquals("PROXY v1", new String(in.readNBytes(8), StandardCharsets.US_ASCII));
        in.reset();
        assertEquals("PROXY v1 and more", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void bytesComeOutInOrderWhateverTheReadSizes() throws IOException {
        byte[] data = new byte[200_000];
        new Random(3).nextBytes(data);
        Random sizes = new Random(4);
        RequestInput in = new RequestInput(new HttpParserTest.PieceStream(data, new Random(5)), 64);
        byte[] out = new byte[data.length];
        int n = 0;
        while (n < data.length) {
            if (sizes.nextInt(10) == 0) {
                out[n++] = (byte) in.read();
                continue;
            }
            int want = sizes.nextBoolean() ? 1 + sizes.nextInt(10) : 1 + sizes.nextInt(5000);
            n += in.read(out, n, Math.min(want, data.length - n));
        }
        assertArrayEquals(data, out);
        assertEquals(-1, in.read());
    }

    @Test
    void aWindowGrownForALongHeadShrinksOnceEmpty() throws Exception {
        String longValue = "v".repeat(100_000);
        String raw = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: " + longValue + "\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n";
        RequestInput in = new RequestInput(new ByteArrayInputStream(ascii(raw)), 1024);
        HttpParser parser = new HttpParser(new ParserOptions(4094, 100, 200_000));
        assertEquals(longValue, parser.parse(in).header("X-Long"));
        assertEquals("/next", parser.parse(in).path());
        assertEquals(-1, in.read());
        assertEquals(8192, in.buffer().length);
    }

    /**
     * A line that fills most of the window doubles it: reads stay large, and a refused head of a
     * few KiB over the window is read whole, so closing after the error sends no reset.
     */
    @Test
    void aLongLineGrowsTheWindowInsteadOfReadingAFewBytesAtATime() {
        ByteArrayInputStream source = new ByteArrayInputStream(ascii("GET / HTTP/1.1\r\nHost: x\r\nX: "
                + "b".repeat(9000) + "\r\n\r\n"));
        HttpError e = org.junit.jupiter.api.Assertions.assertThrows(HttpError.class,
                () -> new HttpParser(ParserOptions.DEFAULT).parse(new RequestInput(source)));
        assertEquals(431, e.status());
        assertEquals(0, source.available());
    }
}
