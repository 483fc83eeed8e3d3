package io.jcorn.master;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jcorn.file_wrapper over real sockets, with the {@code ServesFile} test app: a whole file and a
 * region of it arrive byte for byte with a Content-Length the worker sets, an app's own
 * Content-Length is kept, and a keep-alive connection carries on after a file.
 */
class FileWrapperIT {
    @TempDir
    Path dir;

    @Test
    void aLargeFileAndARegionOfItArriveIntact() throws Exception {
        byte[] data = new byte[24 * 1024 * 1024 + 13];
        new Random(11).nextBytes(data);
        Path file = Files.write(dir.resolve("large.bin"), data);
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.TEST_APPS,
                "io.jcorn.master.testapps.ServesFile")) {
            Reply whole = fetch(jcorn.address(), "/?path=" + file);
            assertEquals(Long.toString(data.length), whole.header("Content-Length"));
            assertArrayEquals(data, whole.body);

            Reply region = fetch(jcorn.address(), "/?path=" + file + "&offset=1000003&length=77777");
            assertEquals("77777", region.header("Content-Length"));
            assertArrayEquals(Arrays.copyOfRange(data, 1000003, 1000003 + 77777), region.body);

            Reply tail = fetch(jcorn.address(), "/?path=" + file + "&offset=" + (data.length - 10) + "&length=500");
            assertEquals("10", tail.header("Content-Length"), "a region past the end is cut at the end");
            assertArrayEquals(Arrays.copyOfRange(data, data.length - 10, data.length), tail.body);

            Reply declared = fetch(jcorn.address(), "/?path=" + file + "&declare=5");
            assertEquals("5", declared.header("Content-Length"), "the app's own Content-Length wins");
            assertArrayEquals(Arrays.copyOf(data, 5), declared.body);
        }
    }

    @Test
    void aKeepAliveConnectionCarriesOnAfterAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("small.txt"), "file contents\n");
        try (JcornProcess jcorn = JcornProcess.start(Map.of("JCORN_KEEP_CONNECTIONS", "true"), "-b", "127.0.0.1:0",
                "--keep-alive", "2", "--classpath", JcornProcess.TEST_APPS, "io.jcorn.master.testapps.ServesFile")) {
            jcorn.awaitBooted(1);
            String two = "GET /?path=" + file + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /?path=" + file + "&offset=5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            String all = Http.exchange(jcorn.address(), two.getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(all.contains("Content-Length: 14\r\n\r\nfile contents\n"), all);
            assertTrue(all.endsWith("Content-Length: 9\r\n\r\ncontents\n"), all);
        }
    }

    record Reply(String head, byte[] body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) return line.substring(name.length() + 1).strip();
            }
            return null;
        }
    }

    /** A GET read to the server's close, the body kept as bytes. */
    static Reply fetch(String address, String target) throws IOException {
        try (SocketChannel channel = SocketChannel.open(Http.socketAddress(address))) {
            ByteBuffer out = ByteBuffer.wrap(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            while (out.hasRemaining()) channel.write(out);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            while (channel.read(in.clear()) > 0) received.write(in.array(), 0, in.position());
            byte[] all = received.toByteArray();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertTrue(end > 0 && text.startsWith("HTTP/1.1 200 OK"), text.substring(0, Math.min(200, text.length())));
            return new Reply(text.substring(0, end), Arrays.copyOfRange(all, end + 4, all.length));
        }
    }
}
