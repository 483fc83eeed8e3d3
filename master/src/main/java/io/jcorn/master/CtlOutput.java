package io.jcorn.master;

import java.util.List;
import java.util.Map;

/** The control socket's JSON answers as text for a terminal. */
final class CtlOutput {
    private CtlOutput() {}

    @SuppressWarnings("unchecked")
    static String render(String command, Map<String, Object> reply) {
        return switch (command) {
            case "status" -> status((Map<String, Object>) reply.get("master"), (List<Map<String, Object>>) reply.get("workers"));
            case "config" -> config((Map<String, Object>) reply.get("config"));
            default -> reply.get("message") + "\n";
        };
    }

    private static String status(Map<String, Object> master, List<Map<String, Object>> workers) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("master %s  up %s  workers %d/%s  generation %s  requests %s  in flight %s%n",
                master.get("pid"), duration(master.get("uptime_s")), workers.size(), master.get("workers_target"),
                master.get("generation"), master.get("requests"), master.get("in_flight")));
        out.append(String.format("%-8s %3s %4s %8s %-9s %9s %8s %9s  %s%n",
                "PID", "NUM", "GEN", "AGE", "STATE", "REQUESTS", "RSS", "BEAT", "CURRENT REQUEST"));
        for (Map<String, Object> w : workers) {
            Object request = w.get("request");
            out.append(String.format("%-8s %3s %4s %8s %-9s %9s %8s %9s  %s%n",
                    w.get("pid"), w.get("number"), w.get("generation"), duration(w.get("age_s")), w.get("state"),
                    w.get("requests"), mebibytes(w.get("rss_bytes")),
                    w.get("last_beat_s") == null ? "-" : duration(w.get("last_beat_s")) + " ago",
                    request == null ? "-" : request + " (" + duration(w.get("request_s")) + ")"));
        }
        return out.toString();
    }

    private static String config(Map<String, Object> config) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Object> setting : config.entrySet()) {
            out.append(String.format("%-22s %s%n", setting.getKey(), setting.getValue()));
        }
        return out.toString();
    }

    static String duration(Object secondsValue) {
        double seconds = ((Number) secondsValue).doubleValue();
        if (seconds < 60) return String.format("%.1fs", seconds);
        long s = (long) seconds;
        if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
        if (s < 86400) return String.format("%dh%02dm", s / 3600, s / 60 % 60);
        return String.format("%dd%02dh", s / 86400, s / 3600 % 24);
    }

    private static String mebibytes(Object bytes) {
        return String.format("%.1fM", ((Number) bytes).longValue() / (1024.0 * 1024));
    }
}
