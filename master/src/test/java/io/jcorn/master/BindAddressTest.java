package io.jcorn.master;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BindAddressTest {

    private static Arguments tcp(String text, String host, int port) {
        return Arguments.of(text, new BindAddress.Tcp(host, port));
    }

    private static Arguments unix(String text, String path) {
        return Arguments.of(text, new BindAddress.Unix(Path.of(path)));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                tcp("127.0.0.1:8080", "127.0.0.1", 8080),
                tcp("localhost:80", "localhost", 80),
                tcp("example.com:65535", "example.com", 65535),
                tcp("0.0.0.0:0", "0.0.0.0", 0),
                tcp(":9000", "0.0.0.0", 9000),
                tcp("localhost", "localhost", 8000),
                tcp("10.1.2.3", "10.1.2.3", 8000),
                tcp("[::1]:8000", "::1", 8000),
                tcp("[::1]:9001", "::1", 9001),
                tcp("[::1]", "::1", 8000),
                tcp("[::]:80", "::", 80),
                tcp("[2001:db8::1]:443", "2001:db8::1", 443),
                unix("unix:/tmp/jcorn.sock", "/tmp/jcorn.sock"),
                unix("unix:relative.sock", "relative.sock"),
                unix("unix:/tmp/with:colon.sock", "/tmp/with:colon.sock"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parses(String text, BindAddress expected) {
        assertEquals(expected, BindAddress.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1:8080", "localhost:8000", "[::1]:8000", "[2001:db8::1]:443", "unix:/tmp/x.sock"})
    void printsAsItIsParsed(String text) {
        BindAddress address = BindAddress.parse(text);
        assertEquals(text, address.toString());
        assertEquals(address, BindAddress.parse(address.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "unix:",
            "localhost:", "localhost:abc", "localhost:80x", "localhost:65536", "localhost:-1", "localhost:99999999999",
            "::1", "::1:8000", "2001:db8::1", "fe80::1:80", "a:b:c",
            "[::1", "[::1]8000", "[::1]x", "[::1]:", "[::1]:http", "[::1]:70000",
    })
    void refusesWithAMessageNamingTheAddress(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BindAddress.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"::1", "::1:8000", "2001:db8::1"})
    void ipv6WithoutBracketsSaysToUseThem(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BindAddress.parse(text));
        assertTrue(e.getMessage().contains("[::1]:8000"), e.getMessage());
    }
}
