package io.jcorn.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLogFormatTest {
    private static AccessLogFormat.Atom atom(String name) {
        return new AccessLogFormat.Atom(name, null);
    }

    @Test
    void gunicornsDefaultSplitsIntoAtomsAndText() {
        assertEquals(List.of(atom("h"), " ", atom("l"), " ", atom("u"), " ", atom("t"), " \"", atom("r"), "\" ",
                        atom("s"), " ", atom("b"), " \"", atom("f"), "\" \"", atom("a"), "\""),
                AccessLogFormat.compile(AccessLogFormat.DEFAULT).parts());
    }

    @Test
    void headersEnvironmentAndPercent() {
        assertEquals(List.of("[", new AccessLogFormat.Atom("i", "X-Request-Id"), "] ",
                        new AccessLogFormat.Atom("o", "Content-Type"), " ", new AccessLogFormat.Atom("e", "HOME"), " 100%"),
                AccessLogFormat.compile("[%({X-Request-Id}i)s] %({Content-Type}o)s %({HOME}e)s 100%%").parts());
    }

    @Test
    void jsonIsAKeyword() {
        assertTrue(AccessLogFormat.compile("json").json());
    }

    @Test
    void badPlaceholdersAreRefused() {
        assertEquals("unknown atom %(x)s", assertThrows(IllegalArgumentException.class,
                () -> AccessLogFormat.compile("%(h)s %(x)s")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.compile("50% %(h)s"));
        assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.compile("%(h"));
        assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.compile("%({X}z)s"));
    }
}
