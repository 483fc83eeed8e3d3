package io.jcorn.worker;

import io.jcorn.protocol.App;
import io.jcorn.protocol.HeartbeatSlot;
import io.jcorn.protocol.InheritedSockets;
import io.jcorn.protocol.WorkerContract;
import io.jcorn.protocol.Timeouts;
import io.jcorn.protocol.http.ParserOptions;
import io.jcorn.protocol.http.SchemeRules;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A training run for the worker's ahead-of-time cache: serves a few requests over loopback through
 * the real request path, so the JVM records the classes a worker loads and links at start-up.
 * The master runs it once per JDK and jcorn version; workers then map the cache read-only.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) throws Exception {
        App app = (environ, startResponse) -> {
            startResponse.start("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
            return List.of("trained".getBytes(StandardCharsets.UTF_8));
        };
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        HttpHandler handler = new HttpHandler(app, io.jcorn.protocol.Hooks.NONE, ParserOptions.DEFAULT,
                new RequestEnviron(0, "", quiet, false), Connections.closeEach(),
                SchemeRules.parse(SchemeRules.DEFAULT_ALLOW_IPS, SchemeRules.DEFAULT_HEADERS),
                ProxyProtocol.OFF, AccessLog.OFF, io.jcorn.protocol.WorkerScore.unshared(), Timeouts.DEFAULT,
                new InFlight(() -> { }, 0, () -> { }, 0, now -> { }));
        try (ServerSocketChannel listener = bootPath()) {
            for (String request : List.of(
                    "GET /train?x=1 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: training\r\nAccept: */*\r\n\r\n",
                    "POST /train HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nbody",
                    "GET /bad HTTP/1.1\r\n\r\n")) {
                exchange(listener, handler, request);
            }
        }
    }

    /**
     * What a worker does before it serves: reads its contract from its environment, maps its
     * heartbeat slot, wraps its inherited socket. Their classes, lambdas and method handles then
     * come from the cache too (spun at each boot they cost a worker 100 ms). Returns the socket.
     */
    private static ServerSocketChannel bootPath() throws Exception {
        ServerSocketChannel bound = ServerSocketChannel.open();
        bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Path slotFile = Files.createTempFile("jcorn-training-", ".slot");
        try {
            Files.write(slotFile, new byte[HeartbeatSlot.SIZE]);
            HeartbeatSlot slot = HeartbeatSlot.map(slotFile);
            slot.idle(System.nanoTime());
            slot.busy(System.nanoTime(), System.nanoTime());
            slot.inFlight(0);
            slot.countRequest();
            slot.score().end(slot.score().begin("GET", "/"), 200, 0);
        } finally {
            Files.delete(slotFile);
        }
        int fd = ReadyConnections.descriptor(bound);
        WorkerContract contract = WorkerContract.fromEnvironment(new WorkerContract(
                List.of(new WorkerContract.Listener(fd, WorkerContract.Family.INET)), fd, ProcessHandle.current().pid(),
                0, "io.jcorn.worker.Training", "", 30, "info", 0, "-").toEnvironment());
        // What else a worker's boot meets, so its classes come from the cache too (loaded from the
        // JDK or the jars at each boot, they cost a worker 20 ms on a slow host): its environment,
        // the PROXY settings, the app's class loader, signal handling, and the classes that boot.
        System.getenv();
        ProxyProtocol.parse(contract.proxyProtocol(), contract.proxyAllowFrom());
        AppLoader.classLoader(contract.appClasspath());
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sun.misc.SignalHandler.SIG_DFL);
        for (Class<?> booting : List.of(WorkerMain.class, Worker.class, AcceptingThread.class, ConnectionThreads.class)) {
            Class.forName(booting.getName(), false, booting.getClassLoader());
        }
        // the same socket, wrapped as a worker wraps the one it inherits; the first wrapper stays unused
        return InheritedSockets.open(contract.listeners().get(0).fd(), contract.listeners().get(0).family());
    }

    private static void exchange(ServerSocketChannel listener, HttpHandler handler, String request) throws IOException {
        try (SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
            client.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            handler.process(new Connection(listener.accept(), closed -> { }));
            ByteBuffer response = ByteBuffer.allocate(4096);
            while (client.read(response) > 0) response.clear();
        }
    }
}
