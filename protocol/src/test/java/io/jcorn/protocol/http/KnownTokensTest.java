package io.jcorn.protocol.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class KnownTokensTest {

    /** The name in the middle of other bytes, as it stands in a window. */
    private static String lookUp(String name) {
        byte[] window = ("xx" + name + ": value").getBytes(StandardCharsets.ISO_8859_1);
        return KnownTokens.HEADER_NAMES.string(window, 2, 2 + name.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "TE", "DNT", "Accept", "User-Agent", "Accept-Language", "Accept-Encoding",
            "Upgrade-Insecure-Requests", "x-forwarded-for", "Sec-CH-UA-Platform"})
    void aKnownNameIsTheSharedString(String name) {
        assertSame(name.intern(), lookUp(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HOST", "hosT", "Accept-Languagf", "Bccept-Language", "Upgrade-Insecure-Requestz",
            "X-Custom", "A", "Sec-CH-UA-Platforms", "T", "TF"})
    void anyOtherNameIsItsOwnString(String name) {
        assertEquals(name, lookUp(name));
    }
}
