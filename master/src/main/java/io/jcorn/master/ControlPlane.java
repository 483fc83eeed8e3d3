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

    /** Starts what the config asks for; a metrics endpoint that cannot bind is an error (false). */
    boolean start(Config config, BlockingQueue<Event> events) {
        if (config.controlSocket() != null) {
            ControlSocket socket = ControlSocket.open(config.controlSocket(), new ControlCommands(events, scoreboard, config));
            if (socket != null) open.add(socket);
        }
        try {
            if (config.metricsBind() != null) open.add(MetricsEndpoint.open(config.metricsBind(), scoreboard));
        } catch (IOException e) {
            log.error("Can't serve metrics at {}: {}", config.metricsBind(), e.getMessage());
            return false;
        }
        try {
            if (config.statsdHost() != null) open.add(StatsdReporter.start(config.statsdHost(), config.statsdPrefix(), scoreboard));
        } catch (IOException e) {
            log.warn("Can't send StatsD metrics to {}: {}", config.statsdHost(), e.getMessage());
        }
        return true;
    }

    /** The arbiter's workers as of this tick. */
    void publish(Collection<WorkerProcess> workers, int target, int generation) {
        scoreboard.publish(workers, target, generation);
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
