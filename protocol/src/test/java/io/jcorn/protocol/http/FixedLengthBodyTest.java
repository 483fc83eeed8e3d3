package io.jcorn.protocol.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FixedLengthBodyTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A connection stream holding {@code bytes}, handing them out at most {@code piece} per read. */
    private static InputStream connection(String bytes, int piece) {
        return new ByteArrayInputStream(ascii(bytes)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }
        };
    }

    @ParameterizedTest(name = "pieces of {0}")
    @ValueSource(ints = {1, 3, 64})
    void readsExactlyTheLengthAndLeavesTheRest(int piece) throws IOException {
        InputStream conn = connection("hello worldNEXT", piece);
        FixedLengthBody body = new FixedLengthBody(conn, 11);

        assertArrayEquals(ascii("hello world"), body.readAllBytes());
        assertEquals(0, body.remaining());
        assertEquals(-1, body.read());
        assertEquals(-1, body.read(new byte[4], 0, 4));
        assertArrayEquals(ascii("NEXT"), conn.readAllBytes(), "the next request's bytes stay on the connection");
    }

    @Test
    void singleByteReadsCountDown() throws IOException {
        FixedLengthBody body = new FixedLengthBody(connection("abcd", 4), 3);
        assertEquals('a', body.read());
        assertEquals(2, body.remaining());
        assertEquals('b', body.read());
        assertEquals('c', body.read());
        assertEquals(0, body.remaining());
        assertEquals(-1, body.read());
    }

    @Test
    void readNeverAsksForMoreThanRemains() throws IOException {
        FixedLengthBody body = new FixedLengthBody(connection("abcdef", 64), 4);
        byte[] dst = new byte[10];
        assertEquals(4, body.read(dst, 2, 8));
        assertArrayEquals(ascii("\0\0abcd\0\0\0\0"), dst);
    }

    @Test
    void zeroLengthReadReturnsZero() throws IOException {
        FixedLengthBody body = new FixedLengthBody(connection("abc", 64), 3);
        assertEquals(0, body.read(new byte[4], 0, 0));
        assertEquals(3, body.remaining());
    }

    @Test
    void emptyBodyEndsAtOnceAndReadsNothing() throws IOException {
        InputStream conn = connection("NEXT", 64);
        FixedLengthBody body = new FixedLengthBody(conn, 0);
        assertEquals(-1, body.read());
        assertEquals(-1, body.read(new byte[4], 0, 4));
        assertEquals(0, body.available());
        body.drain();
        assertArrayEquals(ascii("NEXT"), conn.readAllBytes());
    }

    @Test
    void endOfStreamInsideTheBodyIsEofException() throws IOException {
        FixedLengthBody body = new FixedLengthBody(connection("abc", 64), 5);
        assertEquals(3, body.read(new byte[8], 0, 8));
        assertThrows(EOFException.class, () -> body.read(new byte[8], 0, 8));
        assertThrows(EOFException.class, body::read);
    }

    @Test
    void endOfStreamInsideTheBodyFailsReadAllBytes() {
        FixedLengthBody body = new FixedLengthBody(connection("abc", 1), 5);
        assertThrows(EOFException.class, body::readAllBytes);
    }

    @Test
    void drainSkipsTheRestOfTheBodyOnly() throws IOException {
        String big = "x".repeat(20_000);
        InputStream conn = connection(big + "NEXT", 1000);
        FixedLengthBody body = new FixedLengthBody(conn, big.length());
        assertEquals('x', body.read());
        body.drain();
        assertEquals(0, body.remaining());
        assertArrayEquals(ascii("NEXT"), conn.readAllBytes());
    }

    @Test
    void drainOfATruncatedBodyIsEofException() {
        FixedLengthBody body = new FixedLengthBody(connection("abc", 64), 10);
        assertThrows(EOFException.class, body::drain);
    }

    @Test
    void availableIsCappedByTheBody() throws IOException {
        FixedLengthBody body = new FixedLengthBody(connection("abcdefgh", 64), 3);
        assertEquals(3, body.available());
        body.read();
        assertEquals(2, body.available());
    }

    @Test
    void closeLeavesTheConnectionOpen() throws IOException {
        boolean[] closed = {false};
        InputStream conn = new ByteArrayInputStream(ascii("abcNEXT")) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        FixedLengthBody body = new FixedLengthBody(conn, 3);
        body.close();
        assertFalse(closed[0], "the connection belongs to the worker");
        assertArrayEquals(ascii("abc"), body.readAllBytes());
    }
}
