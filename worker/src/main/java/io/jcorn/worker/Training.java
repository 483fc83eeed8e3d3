package io.jcorn.worker;

import io.jcorn.protocol.App;
import io.jcorn.protocol.HeartbeatSlot;
import io.jcorn.protocol.StartResponse;
import io.jcorn.protocol.WorkerContract;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A training run for the worker's ahead-of-time cache: boots a real worker, as the master would
 * (contract, heartbeat slot, listening socket, app, signal handlers), sends it a few requests over
 * loopback, and stops it with TERM. The JVM records the classes the worker loads and the call
 * sites it links, lambdas included (spun again at each boot, they cost a worker 50 ms). The master
 * runs it once per JDK, jcorn build and worker flags; workers then map the cache read-only.
 */
public final class Training {
    private static final List<String> REQUESTS = List.of(
            "GET /train?x=1 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: training\r\nAccept: */*\r\n\r\n",
            "POST /train HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nbody",
            "GET /bad HTTP/1.1\r\n\r\n");

    private Training() {}

    /** The app the training worker serves. */
    public static final class Trained implements App {
        @Override
        public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
            startResponse.start("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
            return List.of("trained".getBytes(StandardCharsets.UTF_8));
        }
    }

    public static void main(String[] args) throws Exception {
        // left open: the worker wraps the same descriptor and closes it when it stops
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Path slotFile = Files.createTempFile("jcorn-training-", ".slot");
        try (FileChannel slot = FileChannel.open(slotFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            slot.write(ByteBuffer.allocate(HeartbeatSlot.SIZE));
            long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
            WorkerContract contract = WorkerContract.fromEnvironment(new WorkerContract(
                    List.of(new WorkerContract.Listener(ReadyConnections.descriptor(listener), WorkerContract.Family.INET)),
                    descriptorOf(slotFile), parent, 0, Trained.class.getName(), "", 30, "info", 0, "-").toEnvironment());
            System.getenv(); // where a worker reads its contract
            SocketAddress address = listener.getLocalAddress();
            Thread.ofPlatform().name("jcorn-training-client").start(() -> sendRequests(address));
            WorkerMain.serve(contract);
        } finally {
            Files.delete(slotFile);
        }
        System.exit(0);
    }

    /** Each request on a connection of its own (the worker is sync), then TERM, as the master stops a worker. */
    private static void sendRequests(SocketAddress address) {
        try {
            for (String request : REQUESTS) exchange(address, request);
        } catch (IOException e) {
            System.err.println("jcorn training: a request failed: " + e);
        } finally {
            sun.misc.Signal.raise(new sun.misc.Signal("TERM"));
        }
    }

    private static void exchange(SocketAddress address, String request) throws IOException {
        try (SocketChannel client = SocketChannel.open(address)) {
            client.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            ByteBuffer response = ByteBuffer.allocate(4096);
            while (client.read(response) >= 0) response.clear();
        }
    }

    /** The descriptor this process holds open on {@code file}, from /proc/self/fd. */
    private static int descriptorOf(Path file) throws IOException {
        Path real = file.toRealPath();
        try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : descriptors.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) return Integer.parseInt(fd.getFileName().toString());
                } catch (IOException e) {
                    // closed since it was listed (the listing's own descriptor)
                }
            }
        }
        throw new IOException("no descriptor open on " + file);
    }
}
