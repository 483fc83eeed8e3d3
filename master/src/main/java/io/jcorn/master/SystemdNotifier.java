package io.jcorn.master;

import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tells systemd (a {@code Type=notify} service) what the master is doing, through the datagram
 * socket named by {@code NOTIFY_SOCKET}: READY=1 once workers actually serve (not merely once
 * the master started, as Gunicorn does), RELOADING=1 and STOPPING=1, STATUS= lines, and
 * WATCHDOG=1 pings from the master loop when {@code WATCHDOG_USEC} asks for them.
 * Outside systemd every call does nothing. (The JDK's channels have no unix datagram sockets.)
 */
final class SystemdNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private final UnixDatagramChannel channel;
    private final UnixSocketAddress target;
    private final long watchdogInterval;
    private long lastPing;

    private SystemdNotifier(UnixDatagramChannel channel, UnixSocketAddress target, long watchdogInterval) {
        this.channel = channel;
        this.target = target;
        this.watchdogInterval = watchdogInterval;
    }

    static SystemdNotifier fromEnvironment(Map<String, String> env, long pid) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) return new SystemdNotifier(null, null, 0);
        String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        long interval = watchdogInterval(env, pid);
        try {
            return new SystemdNotifier(UnixDatagramChannel.open(), new UnixSocketAddress(path), interval);
        } catch (IOException e) {
            log.warn("Can't open NOTIFY_SOCKET {}: {}; systemd will not hear from jcorn", socket, e.getMessage());
            return new SystemdNotifier(null, null, 0);
        }
    }

    // systemd wants a ping at least every WATCHDOG_USEC; ping at half of it.
    private static long watchdogInterval(Map<String, String> env, long pid) {
        try {
            String owner = env.get("WATCHDOG_PID");
            if (owner != null && Long.parseLong(owner) != pid) return 0;
            return TimeUnit.MICROSECONDS.toNanos(Long.parseLong(env.getOrDefault("WATCHDOG_USEC", "0"))) / 2;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    void ready(int workers) {
        send("READY=1\nSTATUS=Serving with " + workers + " workers");
    }

    /** After an upgrade: this process is the service's main process now. */
    void mainPid(long pid, int workers) {
        send("MAINPID=" + pid + "\nREADY=1\nSTATUS=Serving with " + workers + " workers (upgraded)");
    }

    void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()) + "\nSTATUS=Reloading");
    }

    void stopping() {
        send("STOPPING=1\nSTATUS=Stopping");
    }

    void status(String status) {
        send("STATUS=" + status);
    }

    /** Pings the watchdog if due; the master loop calls this every turn. */
    void keepAlive(long now) {
        if (watchdogInterval > 0 && now - lastPing >= watchdogInterval) {
            lastPing = now;
            send("WATCHDOG=1");
        }
    }

    /** The longest the master loop may sleep without missing a watchdog ping, in ms (or -1). */
    long maxSleepMillis() {
        return watchdogInterval > 0 ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(watchdogInterval)) : -1;
    }

    private void send(String message) {
        if (channel == null) return;
        try {
            channel.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), target);
        } catch (IOException e) {
            log.warn("Can't notify systemd: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            // leaving
        }
    }
}
