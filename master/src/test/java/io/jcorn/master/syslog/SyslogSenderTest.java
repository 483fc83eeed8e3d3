package io.jcorn.master.syslog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages sent to real sockets on loopback and in a temporary directory, and read back there. */
class SyslogSenderTest {
    private static final byte[] MESSAGE = SyslogMessage.format(1, SyslogMessage.Severity.INFO, "jcorn.app.error", 99, "Booting worker");

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private static String text(ByteBuffer received) {
        return new String(received.array(), 0, received.position(), StandardCharsets.UTF_8);
    }

    private DatagramChannel udpReceiver() throws IOException {
        return closing(DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    private static String receive(DatagramChannel receiver) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(70_000);
        receiver.receive(buffer);
        return text(buffer);
    }

    private UnixDatagramChannel unixDatagramReceiver(Path path) throws IOException {
        UnixDatagramChannel receiver = closing(UnixDatagramChannel.open());
        receiver.bind(new UnixSocketAddress(path.toFile()));
        return receiver;
    }

    private static String receive(UnixDatagramChannel receiver) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        receiver.receive(buffer);
        return text(buffer);
    }

    /**
     * Reads what a stream listener receives until {@code count} NUL-terminated messages came, then
     * closes the connection: the result is there once it is closed.
     */
    private static CompletableFuture<String> streamMessages(ServerSocketChannel listener, int count) {
        CompletableFuture<String> received = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SocketChannel connection = listener.accept()) {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                while (out.toString(StandardCharsets.UTF_8).chars().filter(c -> c == 0).count() < count) {
                    buffer.clear();
                    if (connection.read(buffer) < 0) break;
                    out.write(buffer.array(), 0, buffer.position());
                }
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
            received.complete(out.toString(StandardCharsets.UTF_8));
        });
        return received;
    }

    @Test
    void udpDatagramsReachALoopbackReceiver() throws Exception {
        DatagramChannel receiver = udpReceiver();
        int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
        try (SyslogSender sender = SyslogSender.open(SyslogAddress.parse("udp://127.0.0.1:" + port))) {
            sender.send(MESSAGE);
            assertEquals("<14>jcorn.app.error: [99] Booting worker\0", receive(receiver));
        }
    }

    @Test
    void aUdpDatagramIsCutAtTheLargestUdpCarries() throws Exception {
        DatagramChannel receiver = udpReceiver();
        receiver.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
        try (SyslogSender sender = SyslogSender.open(new SyslogAddress.Udp("127.0.0.1", port))) {
            sender.send(SyslogMessage.format(1, SyslogMessage.Severity.ERROR, "t", 1, "x".repeat(100_000)));
            assertEquals(65_507, receive(receiver).length());
        }
    }

    @Test
    void tcpMessagesFollowEachOtherEndedByNul() throws Exception {
        ServerSocketChannel listener = closing(ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        CompletableFuture<String> received = streamMessages(listener, 2);
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        try (SyslogSender sender = SyslogSender.open(SyslogAddress.parse("tcp://127.0.0.1:" + port))) {
            sender.send(MESSAGE);
            sender.send(SyslogMessage.format(1, SyslogMessage.Severity.ERROR, "t", 2, "second"));
        }
        assertEquals("<14>jcorn.app.error: [99] Booting worker\0<11>t: [2] second\0", received.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aUnixDatagramSocketLikeDevLog() throws Exception {
        Path path = dir.resolve("log");
        UnixDatagramChannel receiver = unixDatagramReceiver(path);
        for (String address : List.of("unix://" + path + "#dgram", "unix://" + path)) {
            try (SyslogSender sender = SyslogSender.open(SyslogAddress.parse(address))) {
                sender.send(MESSAGE);
                assertEquals("<14>jcorn.app.error: [99] Booting worker\0", receive(receiver), address);
            }
        }
    }

    @Test
    void aUnixStreamSocket() throws Exception {
        Path path = dir.resolve("stream.sock");
        ServerSocketChannel listener = closing(ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path)));
        for (String address : List.of("unix://" + path + "#stream", "unix://" + path)) {
            CompletableFuture<String> received = streamMessages(listener, 1);
            try (SyslogSender sender = SyslogSender.open(SyslogAddress.parse(address))) {
                sender.send(MESSAGE);
            }
            assertEquals("<14>jcorn.app.error: [99] Booting worker\0", received.get(20, TimeUnit.SECONDS), address);
        }
    }

    @Test
    void anAddressNothingListensOnIsAnErrorAtOpen() throws Exception {
        Path missing = dir.resolve("missing");
        IOException e = assertThrows(IOException.class, () -> SyslogSender.open(SyslogAddress.parse("unix://" + missing)));
        assertEquals("syslog unix://" + missing + ": no such socket", e.getMessage());
        int closedPort;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closedPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        e = assertThrows(IOException.class, () -> SyslogSender.open(SyslogAddress.parse("tcp://127.0.0.1:" + closedPort)));
        assertTrue(e.getMessage().startsWith("syslog tcp://127.0.0.1:" + closedPort + ": "), e.getMessage());
        e = assertThrows(IOException.class, () -> SyslogSender.open(SyslogAddress.parse("udp://no-such-host.invalid:514")));
        assertEquals("syslog udp://no-such-host.invalid:514: cannot resolve no-such-host.invalid", e.getMessage());
    }

    @Test
    void aRestartedSyslogdIsFoundAgain() throws Exception {
        Path path = dir.resolve("restarting.sock");
        ServerSocketChannel first = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
        CompletableFuture<String> before = streamMessages(first, 1);
        try (SyslogSender sender = closing(SyslogSender.open(SyslogAddress.parse("unix://" + path + "#stream")))) {
            sender.send(MESSAGE);
            assertEquals("<14>jcorn.app.error: [99] Booting worker\0", before.get(20, TimeUnit.SECONDS));
            first.close();
            Files.delete(path);
            ServerSocketChannel second = closing(ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path)));
            CompletableFuture<String> after = streamMessages(second, 1);
            byte[] again = SyslogMessage.format(1, SyslogMessage.Severity.INFO, "t", 3, "after the restart");
            // the old connection may take a write or two before it reports its peer gone
            for (int i = 0; i < 50 && !after.isDone(); i++) {
                sender.send(again);
                Thread.sleep(20);
            }
            assertTrue(after.get(20, TimeUnit.SECONDS).startsWith("<14>t: [3] after the restart\0"));
        }
    }

    @Test
    void theMastersLogLinesGoThroughTheAppender() throws Exception {
        DatagramChannel receiver = udpReceiver();
        int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
        LoggerContext context = new LoggerContext();
        SyslogAppender appender = new SyslogAppender(SyslogSender.open(new SyslogAddress.Udp("127.0.0.1", port)),
                SyslogMessage.facility("local0"), SyslogMessage.tag(null, "com.example.App", "error"), 1234);
        appender.setContext(context);
        appender.start();
        Logger log = context.getLogger("jcorn");
        log.setLevel(Level.DEBUG);
        log.addAppender(appender);
        log.warn("Worker {} timed out", 17);
        assertEquals("<132>jcorn.com.example.App.error: [1234] Worker 17 timed out\0", receive(receiver));
        log.error("Boot failed", new IllegalStateException("no app"));
        String withTrace = receive(receiver);
        assertTrue(withTrace.startsWith("<131>jcorn.com.example.App.error: [1234] Boot failed\njava.lang.IllegalStateException: no app\n"),
                withTrace);
        assertTrue(withTrace.endsWith("\0"));
        appender.stop();
        context.stop();
    }

    @Test
    void anUnreachableSyslogIsSaidOnceOnStderr() throws Exception {
        Path path = dir.resolve("gone.sock");
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
        CompletableFuture<String> first = streamMessages(listener, 1);
        LoggerContext context = new LoggerContext();
        SyslogAppender appender = new SyslogAppender(SyslogSender.open(SyslogAddress.parse("unix://" + path + "#stream")), 1, "t", 1);
        appender.setContext(context);
        appender.start();
        Logger log = context.getLogger("jcorn");
        log.addAppender(appender);
        log.info("reaches it");
        first.get(20, TimeUnit.SECONDS);
        listener.close();
        Files.delete(path);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 5; i++) log.info("lost " + i);
        } finally {
            System.setErr(stderr);
            appender.stop();
            context.stop();
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.getFirst().startsWith("jcorn: syslog unix://" + path + "#stream: "), lines.getFirst());
        assertTrue(lines.getFirst().endsWith("; log lines are not sent to syslog until it works again"), lines.getFirst());
    }
}
