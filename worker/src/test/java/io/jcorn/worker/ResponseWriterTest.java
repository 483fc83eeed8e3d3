package io.jcorn.worker;

import io.jcorn.protocol.FileRegion;
import io.jcorn.protocol.http.Header;
import io.jcorn.protocol.http.RequestHead;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What ResponseWriter puts on a real loopback connection for each way an app answers. */
class ResponseWriterTest {
    private static final byte[] DATE = "Date: Wed, 25 Nov 2026 06:00:00 GMT\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final List<Map.Entry<String, String>> TEXT = List.of(Map.entry("Content-Type", "text/plain"));

    @TempDir
    Path dir;
    private SocketChannel server;
    private SocketChannel client;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = SocketChannel.open(listener.getLocalAddress());
            server = listener.accept();
        }
    }

    @AfterEach
    void disconnect() throws IOException {
        server.close();
        client.close();
    }

    private ResponseWriter writer(String method, String version, boolean keepAlive) {
        RequestHead head = new RequestHead(method, "/", "/", "", version, List.of(new Header("Host", "x")), 0);
        return new ResponseWriter(server, head, DATE, keepAlive);
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    /** Everything written, once the server side is closed. */
    private String received() throws IOException {
        server.shutdownOutput();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        while (client.read(in.clear()) > 0) all.write(in.array(), 0, in.position());
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headersInGunicornsOrderThenTheApps() throws IOException {
        ResponseWriter response = writer("GET", "HTTP/1.1", true);
        response.start("200 OK", TEXT);
        response.writeBody(List.of("hi".getBytes(StandardCharsets.US_ASCII)));
        response.finish();
        assertEquals("HTTP/1.1 200 OK\r\nServer: jcorn\r\n" + new String(DATE, StandardCharsets.US_ASCII)
                + "Connection: keep-alive\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                + "2\r\nhi\r\n0\r\n\r\n", received());
    }

    @Test
    void nothingGoesOutBeforeTheFirstNonEmptyChunk() throws IOException {
        ResponseWriter response = writer("GET", "HTTP/1.1", false);
        response.start("200 OK", TEXT);
        response.write(new byte[0]);
        response.write(ByteBuffer.allocate(0));
        assertTrue(!response.headersSent());
        response.start("500 Internal Server Error", TEXT, new IllegalStateException("the app failed"));
        response.write("x".getBytes(StandardCharsets.US_ASCII));
        assertTrue(response.headersSent());
        response.finish();
        assertTrue(received().startsWith("HTTP/1.1 500 Internal Server Error\r\n"));
    }

    @Test
    void aSecondStartWithoutExcInfoIsRefused() {
        ResponseWriter response = writer("GET", "HTTP/1.1", false);
        response.start("200 OK", TEXT);
        assertThrows(IllegalStateException.class, () -> response.start("201 Created", TEXT));
    }

    @Test
    void excInfoAfterTheHeadersIsRethrownAsItIs() throws IOException {
        ResponseWriter response = writer("GET", "HTTP/1.1", false);
        response.start("200 OK", TEXT);
        response.write("partial".getBytes(StandardCharsets.US_ASCII));
        IOException error = new IOException("the database went away");
        assertSame(error, assertThrows(IOException.class, () -> response.start("500 Internal Server Error", TEXT, error)));
    }

    @Test
    void anEmptyBodyIsFramedByContentLengthZeroButA204HasNone() throws IOException {
        ResponseWriter empty = writer("GET", "HTTP/1.1", true);
        empty.start("200 OK", TEXT);
        empty.finish();
        assertTrue(empty.reusable());
        ResponseWriter noContent = writer("GET", "HTTP/1.1", true);
        noContent.start("204 No Content", List.of());
        noContent.finish();
        String both = received();
        assertTrue(both.startsWith("HTTP/1.1 200 OK\r\n") && both.contains("Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n"), both);
        assertTrue(both.substring(both.indexOf("204")).endsWith("Connection: keep-alive\r\n\r\n"), both);
    }

    @Test
    void aFileRegionGoesOutWithItsLength() throws IOException {
        byte[] data = random(150_000); // small enough for the socket buffers: nothing reads until the end
        Path file = Files.write(dir.resolve("data.bin"), data);
        ResponseWriter response = writer("GET", "HTTP/1.1", true);
        response.start("200 OK", TEXT);
        response.writeBody(new FileRegion(FileChannel.open(file), 100, 100_000));
        response.finish();
        assertTrue(response.reusable());
        String all = received();
        assertTrue(all.contains("Content-Length: 100000\r\n\r\n"), all.substring(0, 200));
        byte[] body = all.substring(all.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(Arrays.copyOfRange(data, 100, 100_100), body);
    }

    @Test
    void readsAndWritesSendWhatTransferToLeaves() throws IOException {
        byte[] data = random(110_000);
        Path file = Files.write(dir.resolve("data.bin"), data);
        try (FileRegion region = new FileRegion(FileChannel.open(file), 0, -1)) {
            assertEquals(60_000, FileTransfer.copy(region, 50_000, 110_000, server));
            assertEquals(0, FileTransfer.copy(region, 110_000, 120_000, server), "the file ends at 110000");
        }
        byte[] body = received().getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(Arrays.copyOfRange(data, 50_000, 110_000), body);
    }

    @Test
    void aFileRegionIteratesAsBlocksForMiddleware() throws IOException {
        byte[] data = random(200_000);
        Path file = Files.write(dir.resolve("data.bin"), data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileRegion region = new FileRegion(FileChannel.open(file), 7, 150_000)) {
            for (ByteBuffer block : region) out.write(block.array(), block.arrayOffset(), block.remaining());
        }
        assertArrayEquals(Arrays.copyOfRange(data, 7, 150_007), out.toByteArray());
    }
}
