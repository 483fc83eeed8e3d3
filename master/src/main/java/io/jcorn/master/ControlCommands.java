package io.jcorn.master;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

/**
 * What {@code jcorn ctl} may ask, and the answer to each: commands that change something become
 * the {@link Event}s the matching signals would (TTIN per worker added, HUP for reload, ...), for
 * the arbiter to act on in its loop; {@code status} and {@code config} only read.
 */
final class ControlCommands {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ControlCommands.class);
    private static final int MOST_WORKERS_AT_ONCE = 1000;

    private final BlockingQueue<Event> events;
    private final Scoreboard scoreboard;

    ControlCommands(BlockingQueue<Event> events, Scoreboard scoreboard) {
        this.events = events;
        this.scoreboard = scoreboard;
    }

    /** Runs one request line, e.g. {@code workers add 2}; never throws. */
    Map<String, Object> run(String line) {
        List<String> words = Arrays.asList(line.isEmpty() ? new String[0] : line.split("\\s+"));
        if (words.isEmpty()) return error("empty request; see jcorn ctl --help");
        List<String> args = words.subList(1, words.size());
        return switch (words.getFirst()) {
            case "status" -> args.isEmpty() ? ok(Scoreboard.status(scoreboard.view())) : usage("status");
            case "config" -> args.isEmpty() ? ok(Map.of("config", config(scoreboard.config()))) : usage("config");
            case "workers" -> workers(args);
            case "reload" -> args.isEmpty() ? send("reloading: a new generation of workers starts", Event.HUP) : usage("reload");
            case "rolling-restart" -> args.isEmpty() ? send("restarting the workers one by one", Event.ROLLING_RESTART)
                    : usage("rolling-restart");
            case "reopen-logs" -> args.isEmpty() ? send("reopening the log files", Event.USR1) : usage("reopen-logs");
            case "shutdown" -> shutdown(args);
            default -> error("unknown command '" + words.getFirst()
                    + "' (status, workers add|remove N, reload, rolling-restart, reopen-logs, shutdown [graceful], config)");
        };
    }

    private Map<String, Object> workers(List<String> args) {
        if (args.size() != 2 || !args.get(1).matches("\\d{1,4}")) return usage("workers add|remove N");
        int n = Integer.parseInt(args.get(1));
        if (n < 1 || n > MOST_WORKERS_AT_ONCE) return error("N must be 1 to " + MOST_WORKERS_AT_ONCE + ", not " + n);
        return switch (args.getFirst()) {
            case "add" -> send("adding " + n + " worker(s)", repeat(Event.TTIN, n));
            case "remove" -> send("removing " + n + " worker(s) (at least one stays)", repeat(Event.TTOU, n));
            default -> usage("workers add|remove N");
        };
    }

    private Map<String, Object> shutdown(List<String> args) {
        if (args.isEmpty()) return send("stopping now", Event.INT);
        if (args.equals(List.of("graceful"))) return send("stopping gracefully", Event.TERM);
        return usage("shutdown [graceful]");
    }

    private static List<Event> repeat(Event event, int times) {
        return java.util.Collections.nCopies(times, event);
    }

    private Map<String, Object> send(String what, Event event) {
        return send(what, List.of(event));
    }

    private Map<String, Object> send(String what, Collection<Event> sent) {
        log.info("Asked over the control socket: {}", what); // the arbiter then logs each event as its signal
        events.addAll(sent);
        return ok(Map.of("message", what));
    }

    private static Map<String, Object> ok(Map<String, Object> body) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("ok", true);
        reply.putAll(body);
        return reply;
    }

    private static Map<String, Object> usage(String form) {
        return error("usage: " + form);
    }

    static Map<String, Object> error(String message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("ok", false);
        reply.put("error", message);
        return reply;
    }

    /** Every setting of the record, by name, as JSON-ready values. */
    static Map<String, Object> config(Record config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (RecordComponent component : config.getClass().getRecordComponents()) {
            try {
                settings.put(component.getName(), plain(component.getAccessor().invoke(config)));
            } catch (ReflectiveOperationException e) {
                settings.put(component.getName(), "?");
            }
        }
        return settings;
    }

    private static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case Number n -> n;
            case Boolean b -> b;
            case Map<?, ?> map -> map;
            case Collection<?> list -> new ArrayList<>(list.stream().map(ControlCommands::plain).toList());
            default -> value.toString();
        };
    }
}
