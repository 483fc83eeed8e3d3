package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ControlCommandsTest {
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ControlCommands commands = new ControlCommands(events, new Scoreboard());

    private List<Event> sent(String line) {
        Map<String, Object> reply = commands.run(line);
        assertEquals(true, reply.get("ok"), line + ": " + reply);
        List<Event> sent = new ArrayList<>();
        events.drainTo(sent);
        return sent;
    }

    private String refusal(String line) {
        Map<String, Object> reply = commands.run(line);
        assertEquals(false, reply.get("ok"), line + ": " + reply);
        assertEquals(List.of(), new ArrayList<>(events), "a refused command sends nothing");
        return (String) reply.get("error");
    }

    @Test
    void commandsBecomeTheEventsOfTheirSignals() {
        assertEquals(List.of(Event.TTIN, Event.TTIN), sent("workers add 2"));
        assertEquals(List.of(Event.TTOU), sent("workers  remove 1"));
        assertEquals(List.of(Event.HUP), sent("reload"));
        assertEquals(List.of(Event.ROLLING_RESTART), sent("rolling-restart"));
        assertEquals(List.of(Event.USR1), sent("reopen-logs"));
        assertEquals(List.of(Event.INT), sent("shutdown"));
        assertEquals(List.of(Event.TERM), sent("shutdown graceful"));
        assertEquals(List.of(), sent("status"));
    }

    @Test
    void badRequestsAreRefusedWithAReason() {
        assertEquals("empty request; see jcorn ctl --help", refusal(""));
        assertEquals("usage: workers add|remove N", refusal("workers add"));
        assertEquals("usage: workers add|remove N", refusal("workers add -1"));
        assertEquals("usage: workers add|remove N", refusal("workers double 2"));
        assertEquals("N must be 1 to 1000, not 0", refusal("workers add 0"));
        assertEquals("usage: shutdown [graceful]", refusal("shutdown now"));
        assertEquals("usage: reload", refusal("reload everything"));
        assertEquals(true, refusal("restart").startsWith("unknown command 'restart'"));
    }

    @Test
    void configListsTheRecordsComponentsAsPlainValues() {
        record Sample(int workers, java.nio.file.Path pidfile, List<BindAddress> binds, String absent) {}
        Map<String, Object> config = ControlCommands.config(new Sample(3, java.nio.file.Path.of("/run/j.pid"),
                List.of(BindAddress.parse("127.0.0.1:8000")), null));
        assertEquals("{\"workers\":3,\"pidfile\":\"/run/j.pid\",\"binds\":[\"127.0.0.1:8000\"],\"absent\":null}",
                Json.write(config));
    }
}
