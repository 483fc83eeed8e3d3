package io.jcorn.master;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that keep their connections and never retry, as wrk: three HUPs and a rolling restart
 * under their load cost none of their requests. A retiring worker answers each connection's next
 * request with "Connection: close" instead of closing idle connections under a request on its way.
 */
class RetiringWorkersDropNothingIT {

    @ParameterizedTest
    @ValueSource(strings = {"gthread", "virtual"})
    void keepAliveClientsLoseNoRequestToReloads(String workerClass) throws Exception {
        List<String> args = new ArrayList<>(List.of("-w", "2", "-b", "127.0.0.1:0", "-k"));
        args.addAll(List.of(workerClass.split(" ")));
        args.addAll(List.of("--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello"));
        try (JcornProcess jcorn = JcornProcess.serving(2, args.toArray(String[]::new))) {
            Load load = Load.keepAlive(jcorn.address(), "/", 8);
            try (load) {
                reloadThreeTimesThenRollingRestart(jcorn);
            }
            assertEquals(0, load.failures(), "outcomes: " + load);
            assertTrue(load.count(Load.Outcome.OK) > 100, "outcomes: " + load);
        }
    }

    /** Three HUPs, each once the last is complete, then a rolling restart; then a moment of load on the new workers. */
    static void reloadThreeTimesThenRollingRestart(JcornProcess jcorn) {
        JcornProcess.sleep(500);
        for (int i = 1; i <= 3; i++) {
            jcorn.signal("HUP");
            jcorn.awaitLine("Reload complete", i);
        }
        jcorn.signal("URG");
        jcorn.awaitLine("Rolling restart complete");
        JcornProcess.sleep(500);
    }
}
