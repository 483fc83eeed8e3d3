package io.jcorn.worker.tls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS over a blocking socket channel as the worker holds it, against real clients over loopback:
 * the JDK's SSLSocket, a raw socket for what no well-behaved client does, and curl.
 */
class TlsChannelTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static TestCertificates certs;
    private static ServerTls tls;
    private static SSLContext client;

    private ServerSocketChannel listener;
    private final List<AutoCloseable> open = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.get();
        tls = ServerTls.load(TlsOptions.of(certs.ec256.cert(), certs.ec256.key()));
        client = ServerTlsTest.client(null, certs.ec256.certificate());
    }

    @BeforeEach
    void listen() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    // The server's side first: a client's SSLSocket.close() waits for the server's close_notify.
    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) if (c instanceof TlsChannel) c.close();
        for (AutoCloseable c : open) c.close();
        listener.close();
    }

    private int port() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** The next connection as a worker holds it: a blocking channel read through its socket adaptor. */
    private TlsChannel accept(ServerTls server, boolean suppressRaggedEofs) throws IOException {
        SocketChannel channel = listener.accept();
        channel.socket().setSoTimeout((int) BOUND.toMillis());
        TlsChannel tlsChannel = new TlsChannel(channel, channel.socket().getInputStream(), server.newEngine(), suppressRaggedEofs);
        open.add(tlsChannel);
        return tlsChannel;
    }

    private TlsChannel accept() throws IOException {
        return accept(tls, true);
    }

    private SSLSocket connect(SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port());
        socket.setSoTimeout((int) BOUND.toMillis());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        open.add(socket);
        return socket;
    }

    /** Runs a client on a thread of its own (the common pool may have only one). */
    private static <T> Future<T> inBackground(Callable<T> client) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(client.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static <T> T await(Future<T> client) throws Exception {
        return client.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    private static byte[] readExactly(TlsChannel channel, int n, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        ByteBuffer buffer = ByteBuffer.allocate(chunk);
        while (out.size() < n) {
            buffer.clear().limit(Math.min(chunk, n - out.size()));
            int r = channel.read(buffer);
            if (r < 0) throw new EOFException("after " + out.size() + " of " + n + " bytes");
            out.write(buffer.array(), 0, r);
        }
        return out.toByteArray();
    }

    private static void waitForBytes(InputStream raw, int atLeast) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (raw.available() < atLeast) {
            if (System.nanoTime() > deadline) fail("fewer than " + atLeast + " bytes arrived");
            Thread.sleep(1);
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aReadFinishesTheHandshakeAndEchoes() throws Exception {
        Future<String> reply = inBackground(() -> {
            SSLSocket socket = connect(client);
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
        });
        TlsChannel channel = accept();
        byte[] hello = readExactly(channel, 5, 64);
        assertTrue(channel.isHandshakeDone());
        channel.write(ByteBuffer.wrap(hello));
        assertEquals("hello", await(reply));
        assertEquals("TLSv1.3", channel.session().getProtocol());
    }

    @Test
    void aMegabyteEachWayThroughSmallReads() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        Future<byte[]> echoed = inBackground(() -> {
            SSLSocket socket = connect(client);
            socket.startHandshake();
            Future<?> writing = inBackground(() -> {
                OutputStream out = socket.getOutputStream();
                for (int at = 0; at < data.length; at += 7000) out.write(data, at, Math.min(7000, data.length - at));
                return null;
            });
            byte[] back = socket.getInputStream().readNBytes(data.length);
            await(writing);
            return back;
        });
        TlsChannel channel = accept();
        channel.handshake();
        for (int done = 0; done < data.length; ) {
            byte[] piece = readExactly(channel, Math.min(1000, data.length - done), 1000);
            channel.write(ByteBuffer.wrap(piece));
            done += piece.length;
        }
        assertArrayEquals(data, await(echoed));
    }

    /** Reads through to the socket's stream, counting them. */
    private static final class CountingInput extends InputStream {
        final InputStream in;
        final AtomicInteger reads = new AtomicInteger();

        CountingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            reads.incrementAndGet();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads.incrementAndGet();
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }

    @Test
    void theHandshakeAdvancesAReadAtATimeAsBytesArrive() throws Exception {
        Future<String> reply = inBackground(() -> {
            SSLSocket socket = connect(client);
            socket.getOutputStream().write('x');
            return new String(socket.getInputStream().readNBytes(1), StandardCharsets.US_ASCII);
        });
        SocketChannel raw = listener.accept();
        CountingInput input = new CountingInput(raw.socket().getInputStream());
        TlsChannel channel = new TlsChannel(raw, input, tls.newEngine(), true);
        open.add(channel);
        int steps = 0;
        boolean done = false;
        while (!done) {
            waitForBytes(input, 1); // what epoll would say: the socket is readable
            int before = input.reads.get();
            done = assertTimeoutPreemptively(BOUND, channel::advanceHandshake);
            assertTrue(input.reads.get() - before <= 1, "a step read more than once");
            steps++;
        }
        assertTrue(steps >= 2, "a TLS 1.3 handshake takes the client's two flights, took " + steps);
        assertEquals('x', channel.input().read());
        channel.write(ByteBuffer.wrap(new byte[] {'y'}));
        assertEquals("y", await(reply));
    }

    @Test
    void aClientThatStallsMidHandshakeHoldsNoThread() throws Exception {
        Socket stalling = new Socket(InetAddress.getLoopbackAddress(), port());
        open.add(stalling);
        stalling.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello's record
        SocketChannel raw = listener.accept();
        TlsChannel channel = new TlsChannel(raw, raw.socket().getInputStream(), tls.newEngine(), true);
        open.add(channel);
        waitForBytes(raw.socket().getInputStream(), 3);
        assertFalse(assertTimeoutPreemptively(BOUND, channel::advanceHandshake));
        assertFalse(channel.isHandshakeDone());
        stalling.close();
        assertThrows(EOFException.class, channel::advanceHandshake);
    }

    @Test
    void aSilentClientTimesOutLikeAPlainRead() throws Exception {
        open.add(new Socket(InetAddress.getLoopbackAddress(), port()));
        SocketChannel raw = listener.accept();
        raw.socket().setSoTimeout(100); // as TimedInput bounds a head's reads
        TlsChannel channel = new TlsChannel(raw, raw.socket().getInputStream(), tls.newEngine(), true);
        open.add(channel);
        assertThrows(SocketTimeoutException.class, channel::handshake);
    }

    @Test
    void decryptedBytesNotYetReadAreBufferedWhereEpollCannotSeeThem() throws Exception {
        byte[] record = new byte[10_000];
        Arrays.fill(record, (byte) 'r');
        Future<Integer> reply = inBackground(() -> {
            SSLSocket socket = connect(client);
            socket.getOutputStream().write(record); // one write, one record
            return socket.getInputStream().read();
        });
        TlsChannel channel = accept();
        ByteBuffer small = ByteBuffer.allocate(100);
        assertEquals(100, channel.read(small));
        assertTrue(channel.hasBufferedInput());
        assertEquals(0, channel.channel().socket().getInputStream().available(), "nothing more at the socket");
        readExactly(channel, record.length - 100, 100);
        assertFalse(channel.hasBufferedInput());
        channel.write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(1, await(reply));
    }

    @Test
    void aWholeRecordReadWithTheLastOneIsBuffered() throws Exception {
        java.util.concurrent.CountDownLatch serverDone = new java.util.concurrent.CountDownLatch(1);
        Future<Integer> reply = inBackground(() -> {
            SSLSocket socket = connect(client);
            socket.startHandshake();
            serverDone.await(); // so the records come after the server's last handshake read
            socket.getOutputStream().write('a'); // two records
            socket.getOutputStream().write('b');
            return socket.getInputStream().read();
        });
        TlsChannel channel = accept();
        channel.handshake();
        serverDone.countDown();
        InputStream raw = channel.channel().socket().getInputStream();
        waitForBytes(raw, 2 * 22); // two TLS 1.3 records of one byte: header, byte, type, tag
        ByteBuffer one = ByteBuffer.allocate(1);
        assertEquals(1, channel.read(one));
        assertEquals('a', one.get(0));
        assertEquals(0, raw.available());
        assertTrue(channel.hasBufferedInput());
        assertEquals('b', channel.input().read());
        assertFalse(channel.hasBufferedInput());
        channel.write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(1, await(reply));
    }

    @Test
    void aGatheringWriteSendsTheBuffersInOrder() throws Exception {
        Future<String> received = inBackground(() -> {
            SSLSocket socket = connect(client);
            socket.startHandshake();
            return new String(socket.getInputStream().readNBytes(9 + 40_000), StandardCharsets.US_ASCII);
        });
        TlsChannel channel = accept();
        byte[] body = new byte[40_000];
        Arrays.fill(body, (byte) 'b');
        ByteBuffer[] buffers = {ByteBuffer.wrap("head\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), ByteBuffer.wrap("!".getBytes(StandardCharsets.US_ASCII)),
                ByteBuffer.wrap(body)};
        assertEquals(9 + 40_000, channel.write(buffers));
        assertEquals("head\r\n\r\n!" + "b".repeat(40_000), await(received));
    }

    @Test
    void closeEndsTheClientsInputCleanly() throws Exception {
        Future<Integer> end = inBackground(() -> {
            SSLSocket socket = connect(client);
            socket.getOutputStream().write('x');
            return socket.getInputStream().read();
        });
        TlsChannel channel = accept();
        assertEquals('x', channel.input().read());
        channel.close();
        assertFalse(channel.isOpen());
        assertEquals(-1, await(end));
    }

    /** A client that sends a byte and ends its TCP stream without close_notify (a ragged end). */
    private Future<Integer> raggedClient() {
        return inBackground(() -> {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), port());
            open.add(plain);
            SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, "127.0.0.1", port(), true);
            open.add(socket);
            socket.getOutputStream().write('x');
            socket.getOutputStream().flush();
            plain.shutdownOutput();
            return socket.getInputStream().read();
        });
    }

    @Test
    void aRaggedEndIsTheEndWhenSuppressed() throws Exception {
        Future<Integer> client = raggedClient();
        TlsChannel channel = accept(tls, true);
        assertEquals('x', channel.input().read());
        assertEquals(-1, channel.input().read());
        channel.close();
        assertEquals(-1, await(client));
    }

    @Test
    void aRaggedEndIsAnErrorWhenNotSuppressed() throws Exception {
        Future<Integer> client = raggedClient();
        TlsChannel channel = accept(tls, false);
        assertEquals('x', channel.input().read());
        SSLException e = assertThrows(SSLException.class, () -> channel.input().read());
        assertTrue(e.getMessage().contains("without TLS's close_notify"), e.getMessage());
        channel.close();
        await(client);
    }

    @Test
    void theClientsCloseNotifyIsTheEndEvenUnsuppressed() throws Exception {
        Future<Integer> end = inBackground(() -> {
            SSLSocket socket = connect(client);
            socket.getOutputStream().write('x');
            socket.shutdownOutput(); // close_notify, reading on
            return socket.getInputStream().read();
        });
        TlsChannel channel = accept(tls, false);
        assertEquals('x', channel.input().read());
        assertEquals(-1, channel.input().read());
        channel.write(ByteBuffer.wrap(new byte[] {'y'}));
        assertEquals('y', await(end));
    }

    @Test
    void theClientCertificatesSubjectIsKnownAfterTheHandshake() throws Exception {
        ServerTls mutual = ServerTls.load(TlsOptions.of(certs.ec256.cert(), certs.ec256.key()).withClientCertificates(1, certs.ca.cert()));
        SSLContext withCertificate = ServerTlsTest.client(certs.clientStore(), certs.ec256.certificate());
        for (SSLContext context : List.of(withCertificate, client)) {
            Future<Integer> done = inBackground(() -> {
                SSLSocket socket = connect(context);
                socket.getOutputStream().write('x');
                return socket.getInputStream().read();
            });
            TlsChannel channel = accept(mutual, true);
            assertEquals('x', channel.input().read());
            if (context == client) {
                assertNull(channel.peerSubject());
            } else {
                assertEquals("O=jcorn tests,CN=client one", channel.peerSubject());
                assertEquals(certs.client.certificate(), channel.peerCertificate());
            }
            channel.close();
            await(done);
        }
    }

    @Test
    void aFailedHandshakeSendsTheClientItsAlert() throws Exception {
        ServerTls narrow = ServerTls.load(TlsOptions.of(certs.ec256.cert(), certs.ec256.key()).withCiphers("ECDHE-ECDSA-AES128-GCM-SHA256"));
        Future<String> clientSaw = inBackground(() -> {
            SSLSocket socket = connect(client);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {"TLSv1.2"});
            parameters.setCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"});
            socket.setSSLParameters(parameters);
            try {
                socket.startHandshake();
                return "no failure";
            } catch (SSLHandshakeException e) {
                return e.getMessage();
            }
        });
        TlsChannel channel = accept(narrow, true);
        assertThrows(SSLHandshakeException.class, channel::handshake);
        String seen = await(clientSaw);
        assertTrue(seen.contains("handshake_failure"), seen);
    }

    @Test
    void releasedBuffersComeBackWhenNeeded() throws Exception {
        Future<Integer> reply = inBackground(() -> {
            SSLSocket socket = connect(client);
            socket.getOutputStream().write('a');
            int first = socket.getInputStream().read();
            socket.getOutputStream().write('b');
            return first + socket.getInputStream().read();
        });
        TlsChannel channel = accept();
        assertEquals('a', channel.input().read());
        channel.write(ByteBuffer.wrap(new byte[] {1}));
        channel.releaseBuffers();
        assertEquals('b', channel.input().read());
        channel.write(ByteBuffer.wrap(new byte[] {2}));
        assertEquals(3, await(reply));
    }

    @Test
    void curlFetchesAResponseAndSeesCloseNotify() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        Process curl = new ProcessBuilder("curl", "-sS", "-v", "--max-time", "20", "--cacert", certs.ec256.cert().toString(),
                "https://127.0.0.1:" + port() + "/").redirectErrorStream(false).start();
        TlsChannel channel = accept();
        InputStream in = channel.input();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) fail("curl ended its request early: " + head);
            head.write(b);
        }
        assertTrue(head.toString(StandardCharsets.ISO_8859_1).startsWith("GET / HTTP/1.1\r\n"), head.toString(StandardCharsets.ISO_8859_1));
        // no Content-Length: curl reads to the end, so it meets the close_notify rather than leaving before it
        channel.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello\n".getBytes(StandardCharsets.US_ASCII)));
        channel.close();
        String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String log = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), log);
        assertEquals("hello\n", body);
        assertTrue(log.contains("(IN), TLS alert, close notify"), log);
    }
}
