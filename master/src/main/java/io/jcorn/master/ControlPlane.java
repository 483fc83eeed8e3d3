package io.jcorn.master;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * What the master shows and takes from outside besides signals: the control socket, the
 * Prometheus endpoint and the StatsD reporter, all fed by one {@link Scoreboard}. Each runs on a
 * thread of its own; the arbiter only publishes its workers here and tells of exits.
 */
final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

    private final Scoreboard scoreboard = new Scoreboard();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Config config;
    private BlockingQueue<Event> events;
    private boolean socketsOpen;

    /**
     * Starts what the config asks for; returns why the master cannot go on (metrics cannot bind), or null.
     *
     * @param upgrading this is the new master of an upgrade: the old one keeps the control socket and
     *                  the metrics address until it leaves, see {@link #takeOver()}
     */
    String start(Config config, BlockingQueue<Event> events, boolean upgrading) {
        this.config = config;
        this.events = events;
        try {
            if (config.statsdHost() != null) open.add(StatsdReporter.start(config.statsdHost(), config.statsdPrefix(), scoreboard));
        } catch (IOException e) {
            log.warn("Can't send StatsD metrics to {}: {}", config.statsdHost(), e.getMessage());
        }
        if (!upgrading) return openSockets();
        if (config.controlSocket() != null || config.metricsBind() != null) {
            log.info("The old master keeps the control socket and metrics address until it leaves");
        }
        return null;
    }

    /** After an upgrade, once the old master has left: its control socket and metrics address. */
    void takeOver() {
        String trouble = openSockets();
        if (trouble != null) log.error(trouble);
    }

    private String openSockets() {
        if (socketsOpen) return null;
        socketsOpen = true;
        if (config.controlSocket() != null) {
            ControlSocket socket = ControlSocket.open(config.controlSocket(), new ControlCommands(events, scoreboard));
            if (socket != null) open.add(socket);
        }
        try {
            if (config.metricsBind() != null) open.add(MetricsEndpoint.open(config.metricsBind(), scoreboard));
        } catch (IOException e) {
            return "Can't serve metrics at " + config.metricsBind() + ": " + e.getMessage();
        }
        return null;
    }

    /** The arbiter's workers as of this tick. */
    void publish(Config config, Collection<WorkerProcess> workers, int target, int generation) {
        scoreboard.publish(config, workers, target, generation);
    }

    /** The master stops: {@code /healthz} says so from now on, while the workers finish. */
    void stopping() {
        scoreboard.stopping();
    }

    void exited(WorkerProcess worker, ExitStatus status) {
        scoreboard.exited(worker, ExitReport.cause(worker, status));
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : open) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("closing {}: {}", closeable, e.getMessage());
            }
        }
    }
}
