package io.jcorn.master;

import io.jcorn.protocol.WorkerScore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --statsd-host}: Gunicorn's StatsD metrics, under its names with {@code jcorn.} for
 * {@code gunicorn.}, sent by the master once a second from the {@link Scoreboard} rather than by
 * each worker per request: the request path stays free of it, one socket serves all workers, and
 * requests of a crashed worker are still counted. The cost is that {@code request.duration} is a
 * per-second mean of the requests in that second, not one timing per request.
 */
final class StatsdReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsdReporter.class);
    private static final long PERIOD_MILLIS = 1000;
    private static final int MAX_DATAGRAM = 1200;

    private final DatagramChannel channel;
    private final InetSocketAddress target;
    private final String prefix;
    private final Scoreboard scoreboard;
    private WorkerScore.Totals sent = WorkerScore.Totals.NONE;
    private volatile boolean closed;

    private StatsdReporter(DatagramChannel channel, InetSocketAddress target, String prefix, Scoreboard scoreboard) {
        this.channel = channel;
        this.target = target;
        this.prefix = prefix;
        this.scoreboard = scoreboard;
    }

    /** @param prefix prepended to every name with a dot, as Gunicorn's --statsd-prefix; "" for none */
    static StatsdReporter start(BindAddress.Tcp host, String prefix, Scoreboard scoreboard) throws IOException {
        InetSocketAddress target = new InetSocketAddress(host.host(), host.port());
        if (target.isUnresolved()) throw new IOException("cannot resolve " + host.host());
        StatsdReporter reporter = new StatsdReporter(DatagramChannel.open(), target,
                prefix.isEmpty() || prefix.endsWith(".") ? prefix : prefix + ".", scoreboard);
        log.info("Sending StatsD metrics to {}", host);
        Thread.ofPlatform().daemon().name("jcorn-statsd").start(reporter::run);
        return reporter;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(PERIOD_MILLIS);
                report();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                log.debug("statsd: {}", e.getMessage()); // a UDP collector that is away is no error of ours
            }
        }
    }

    private void report() throws IOException {
        Scoreboard.View view = scoreboard.view();
        WorkerScore.Totals now = view.totals();
        send(lines(now, sent, view.rows().size()));
        sent = now;
    }

    /** The metric lines for what happened between {@code before} and {@code now}. */
    List<String> lines(WorkerScore.Totals now, WorkerScore.Totals before, int workers) {
        List<String> lines = new ArrayList<>();
        long requests = now.requests() - before.requests();
        if (requests > 0) {
            lines.add(prefix + "jcorn.requests:" + requests + "|c");
            double meanMillis = (now.durationNanos() - before.durationNanos()) / 1e6 / requests;
            lines.add(prefix + "jcorn.request.duration:" + String.format(Locale.ROOT, "%.3f", meanMillis) + "|ms");
        }
        for (int code = WorkerScore.FIRST_STATUS; code <= WorkerScore.LAST_STATUS; code++) {
            long count = now.status(code) - before.status(code);
            if (count > 0) lines.add(prefix + "jcorn.request.status." + code + ":" + count + "|c");
        }
        lines.add(prefix + "jcorn.workers:" + workers + "|g");
        return lines;
    }

    // Several metrics per datagram, newline-separated (StatsD accepts that), under a safe size.
    private void send(List<String> lines) throws IOException {
        StringBuilder packet = new StringBuilder();
        for (String line : lines) {
            if (!packet.isEmpty() && packet.length() + 1 + line.length() > MAX_DATAGRAM) {
                channel.send(ByteBuffer.wrap(packet.toString().getBytes(StandardCharsets.UTF_8)), target);
                packet.setLength(0);
            }
            if (!packet.isEmpty()) packet.append('\n');
            packet.append(line);
        }
        if (!packet.isEmpty()) channel.send(ByteBuffer.wrap(packet.toString().getBytes(StandardCharsets.UTF_8)), target);
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing the statsd socket: {}", e.getMessage());
        }
    }
}
