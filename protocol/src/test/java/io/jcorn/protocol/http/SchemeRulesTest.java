package io.jcorn.protocol.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SchemeRulesTest {
    private static final SchemeRules DEFAULT = SchemeRules.parse(SchemeRules.DEFAULT_ALLOW_IPS, SchemeRules.DEFAULT_HEADERS);

    private static RequestHead head(String... headers) {
        List<Header> list = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) list.add(new Header(headers[i], headers[i + 1]));
        return new RequestHead("GET", "/", "/", "", "HTTP/1.1", list, 0);
    }

    @ParameterizedTest(name = "{0} from {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "X-Forwarded-Proto | 127.0.0.1 | https | https",
            "x-forwarded-proto | ::1       | https | https",
            "X-Forwarded-Proto | 127.0.0.1 | http  | http",
            "X-Forwarded-Proto | 10.0.0.9  | https | http",
            "X-Forwarded-Ssl   | 127.0.0.1 | on    | https",
            "X-Forwarded-Ssl   | 127.0.0.1 | off   | http",
            "X-Forwarded-Protocol | 127.0.0.1 | ssl | https",
            "X-Other           | 127.0.0.1 | https | http",
    })
    void oneHeader(String name, String peer, String value, String scheme) throws HttpError {
        assertEquals(scheme, DEFAULT.scheme(head(name, value), peer));
    }

    @Test
    void unixSocketPeersAreTrusted() throws HttpError {
        assertEquals("https", DEFAULT.scheme(head("X-Forwarded-Proto", "https"), null));
    }

    @Test
    void starTrustsEveryone() throws HttpError {
        SchemeRules all = SchemeRules.parse("*", SchemeRules.DEFAULT_HEADERS);
        assertEquals("https", all.scheme(head("X-Forwarded-Proto", "https"), "203.0.113.7"));
    }

    @Test
    void agreeingHeadersAreFineAndConflictingOnesAre400() throws HttpError {
        assertEquals("https", DEFAULT.scheme(head("X-Forwarded-Proto", "https", "X-Forwarded-Ssl", "on"), "127.0.0.1"));
        HttpError e = assertThrows(HttpError.class,
                () -> DEFAULT.scheme(head("X-Forwarded-Proto", "https", "X-Forwarded-Ssl", "off"), "127.0.0.1"));
        assertEquals(400, e.status());
        assertEquals("http", DEFAULT.scheme(head("X-Forwarded-Proto", "https", "X-Forwarded-Ssl", "off"), "10.1.1.1"),
                "an untrusted peer's headers are ignored, conflicting or not");
    }

    @Test
    void customHeadersAndNoHeaders() throws HttpError {
        SchemeRules custom = SchemeRules.parse("10.0.0.1", "X-Scheme=https");
        assertEquals("https", custom.scheme(head("X-Scheme", "https"), "10.0.0.1"));
        assertEquals("http", custom.scheme(head("X-Forwarded-Proto", "https"), "10.0.0.1"));
        assertEquals("http", SchemeRules.parse("*", "").scheme(head("X-Forwarded-Proto", "https"), null));
        assertThrows(IllegalArgumentException.class, () -> SchemeRules.parse("*", "X-Scheme"));
    }
}
