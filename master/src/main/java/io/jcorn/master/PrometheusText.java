package io.jcorn.master;

import io.jcorn.protocol.WorkerScore;

import java.util.Locale;
import java.util.Map;

/** The scoreboard in Prometheus' text exposition format (version 0.0.4). */
final class PrometheusText {
    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusText() {}

    static String of(Scoreboard.View view) {
        PrometheusText text = new PrometheusText();
        text.requests(view);
        text.durations(view.totals());
        text.workers(view);
        return text.out.toString();
    }

    private void requests(Scoreboard.View view) {
        WorkerScore.Totals totals = view.totals();
        metric("jcorn_requests_total", "counter", "Requests answered by every worker, exited ones included.");
        sample("jcorn_requests_total", "", totals.requests());
        metric("jcorn_worker_requests_total", "counter", "Requests answered by each live worker.");
        for (Scoreboard.Row row : view.rows()) sample("jcorn_worker_requests_total", workerLabels(row), row.totals().requests());
        metric("jcorn_responses_total", "counter", "Responses by status code.");
        for (int code = WorkerScore.FIRST_STATUS; code <= WorkerScore.LAST_STATUS; code++) {
            if (totals.status(code) > 0) sample("jcorn_responses_total", "code=\"" + code + "\"", totals.status(code));
        }
        metric("jcorn_response_body_bytes_total", "counter", "Response body bytes the app handed over.");
        sample("jcorn_response_body_bytes_total", "", totals.bytes());
        metric("jcorn_requests_in_flight", "gauge", "Requests being served now.");
        sample("jcorn_requests_in_flight", "", view.inFlight());
    }

    private void durations(WorkerScore.Totals totals) {
        metric("jcorn_request_duration_seconds", "histogram", "Time from the request head to the end of the response.");
        long cumulative = 0;
        for (int i = 0; i < WorkerScore.BUCKETS.length; i++) {
            cumulative += totals.histogram()[i];
            sample("jcorn_request_duration_seconds_bucket", "le=\"" + WorkerScore.BUCKETS[i] + "\"", cumulative);
        }
        cumulative += totals.histogram()[WorkerScore.BUCKETS.length];
        sample("jcorn_request_duration_seconds_bucket", "le=\"+Inf\"", cumulative);
        line("jcorn_request_duration_seconds_sum", "", String.format(Locale.ROOT, "%.6f", totals.durationNanos() / 1e9));
        sample("jcorn_request_duration_seconds_count", "", cumulative);
    }

    private void workers(Scoreboard.View view) {
        metric("jcorn_workers", "gauge", "Live worker processes, booting and stopping ones included.");
        sample("jcorn_workers", "", view.rows().size());
        metric("jcorn_workers_target", "gauge", "How many workers the master keeps serving.");
        sample("jcorn_workers_target", "", view.target());
        metric("jcorn_worker_resident_bytes", "gauge", "Resident memory of each live worker.");
        for (Scoreboard.Row row : view.rows()) sample("jcorn_worker_resident_bytes", workerLabels(row), row.residentBytes());
        metric("jcorn_worker_exits_total", "counter", "Worker exits by cause: crash, timeout, max_requests, "
                + "or why the master stopped it (reload, scale_down, memory, shutdown, ...).");
        for (Map.Entry<String, Long> exit : view.exits().entrySet()) {
            sample("jcorn_worker_exits_total", "cause=\"" + exit.getKey() + "\"", exit.getValue());
        }
        metric("jcorn_worker_timeouts_total", "counter", "Workers killed after --timeout.");
        sample("jcorn_worker_timeouts_total", "", view.exits().getOrDefault("timeout", 0L));
    }

    private static String workerLabels(Scoreboard.Row row) {
        return "worker=\"" + row.seat().number() + "\",pid=\"" + row.seat().pid() + "\"";
    }

    private void metric(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, long value) {
        line(name, labels, Long.toString(value));
    }

    private void line(String name, String labels, String value) {
        out.append(name);
        if (!labels.isEmpty()) out.append('{').append(labels).append('}');
        out.append(' ').append(value).append('\n');
    }
}
