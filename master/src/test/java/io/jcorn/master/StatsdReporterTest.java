package io.jcorn.master;

import io.jcorn.protocol.WorkerScore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatsdReporterTest {
    @Test
    void linesCarryWhatHappenedSinceTheLastReport() throws Exception {
        WorkerScore score = WorkerScore.unshared();
        score.end(score.begin("GET", "/"), 200, 10);
        WorkerScore.Totals before = score.totals();
        score.end(score.begin("GET", "/"), 200, 10);
        score.end(score.begin("GET", "/missing"), 404, 10);
        try (StatsdReporter reporter = StatsdReporter.start(new BindAddress.Tcp("127.0.0.1", 9), "app", new Scoreboard())) {
            List<String> lines = reporter.lines(score.totals(), before, 3);
            assertEquals("app.jcorn.requests:2|c", lines.get(0));
            assertEquals(true, lines.get(1).matches("app\\.jcorn\\.request\\.duration:\\d+\\.\\d{3}\\|ms"), lines.get(1));
            assertEquals(List.of("app.jcorn.request.status.200:1|c", "app.jcorn.request.status.404:1|c", "app.jcorn.workers:3|g"),
                    lines.subList(2, lines.size()));
            assertEquals(List.of("app.jcorn.workers:3|g"), reporter.lines(before, before, 3), "nothing happened");
        }
    }
}
