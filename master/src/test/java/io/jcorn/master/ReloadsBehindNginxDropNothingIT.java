package io.jcorn.master;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nginx in front of jcorn as the README sets it up ({@code examples/nginx/jcorn-site.conf}: a unix
 * socket, connections kept open to jcorn), run as a packaged nginx: HUPs and a rolling restart
 * under load make nginx answer no request with a 502, and jcorn resets none of nginx's
 * connections (nginx retries a reset on a connection it kept, which would hide it from the
 * clients: its error log shows it).
 */
class ReloadsBehindNginxDropNothingIT {

    @ParameterizedTest
    @ValueSource(strings = {"gthread --threads 4", "virtual"})
    void reloadsUnderLoadThroughNginxGiveNo5xx(String workerClass) throws Exception {
        try (Nginx nginx = Nginx.prepare()) {
            nginx.start(NginxIT.example(nginx.socket()));
            List<String> args = new ArrayList<>(List.of("-w", "2", "-b", "unix:" + nginx.socket(), "-k"));
            args.addAll(List.of(workerClass.split(" ")));
            args.addAll(List.of("--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello"));
            try (JcornProcess jcorn = JcornProcess.serving(2, args.toArray(String[]::new))) {
                Load load = Load.keepAlive(nginx.address(), "/", 8);
                try (load) {
                    RetiringWorkersDropNothingIT.reloadThreeTimesThenRollingRestart(jcorn);
                }
                assertEquals(0, load.failures(), "outcomes: " + load + "\n" + nginx.errorLog());
                assertTrue(load.count(Load.Outcome.OK) > 100, "outcomes: " + load);
                List<String> resets = nginx.errorLog().lines()
                        .filter(l -> l.contains("upstream") && l.contains("Connection reset by peer")).toList();
                assertEquals(List.of(), resets, nginx.errorLog());
            }
        }
    }
}
