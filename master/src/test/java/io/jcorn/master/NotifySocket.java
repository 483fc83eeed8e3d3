package io.jcorn.master;

import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.fail;

/** systemd's side of {@code NOTIFY_SOCKET}: a unix datagram socket that collects what jcorn tells it. */
final class NotifySocket implements AutoCloseable {
    final Path path;
    private final UnixDatagramChannel channel;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private NotifySocket(Path path, UnixDatagramChannel channel) {
        this.path = path;
        this.channel = channel;
        Thread.ofPlatform().daemon().start(this::receive);
    }

    static NotifySocket open(Path path) throws IOException {
        UnixDatagramChannel channel = UnixDatagramChannel.open();
        channel.bind(new UnixSocketAddress(path.toFile()));
        return new NotifySocket(path, channel);
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (true) {
                buffer.clear();
                channel.receive(buffer);
                messages.add(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            // the socket closed at the end of the test
        }
    }

    /** Waits for the {@code n}-th message starting with {@code prefix}. */
    void awaitMessage(String prefix, int n) {
        for (int i = 0; i < 600; i++) {
            if (messages.stream().filter(m -> m.startsWith(prefix)).count() >= n) return;
            JcornProcess.sleep(50);
        }
        fail("no " + n + " message(s) starting " + prefix.replace("\n", "\\n") + "; got " + messages);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
