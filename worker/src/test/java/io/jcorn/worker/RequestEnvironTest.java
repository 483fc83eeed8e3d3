package io.jcorn.worker;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestEnvironTest {

    @ParameterizedTest(name = "Host {0} -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "example.com:8080 | example.com | 8080",
            "example.com      | example.com | 80",
            "[::1]:8080       | [::1]       | 8080",
            "[::1]            | [::1]       | 80",
            "-                | 127.0.0.1   | 9000",
            "''               | 127.0.0.1   | 9000",
    })
    void serverNameAndPortComeFromTheHostHeaderElseTheSocket(String host, String name, String port) {
        RequestEnviron.Server server = RequestEnviron.Server.of(host, new InetSocketAddress("127.0.0.1", 9000));
        assertEquals(name, server.name());
        assertEquals(port, server.port());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "/plain/path          | /plain/path",
            "/a%20b               | /a b",
            "%41                  | A",
            "/%41                 | /A",
            "/caf%C3%A9           | /café",
            "/caf%c3%a9           | /café",
            "/%E2%82%AC           | /€",
            "/%F0%9F%98%80        | /😀",
            "/a%2Fb               | /a/b",
            "/%25                 | /%",
            "/%2541               | /%41",
            "/%zz                 | /%zz",
            "/%4g                 | /%4g",
            "/%g4                 | /%g4",
            "/%u0041              | /%u0041",
            "/a%zz%41             | /a%zzA",
            "/%%41                | /%A",
            "/a%                  | /a%",
            "/a%4                 | /a%4",
            "%                    | %",
            "/caf%C3              | /caf\uFFFD",
            "/%FF                 | /\uFFFD",
    })
    void percentDecode(String raw, String decoded) {
        assertEquals(decoded, RequestEnviron.percentDecode(raw));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "::1                                      | ::1",
            "0:0:0:0:0:0:0:1                          | ::1",
            "::                                       | ::",
            "1::                                      | 1::",
            "2001:db8:0:0:0:0:0:1                     | 2001:db8::1",
            "2001:0DB8:0000:0000:0000:0000:0000:ABCD  | 2001:db8::abcd",
            "fe80::1                                  | fe80::1",
            "2001:db8:0:1:1:1:1:1                     | 2001:db8:0:1:1:1:1:1",
            "2001:db8:0:0:1:0:0:0                     | 2001:db8:0:0:1::",
            "2001:db8:0:0:1:0:0:1                     | 2001:db8::1:0:0:1",
            "2001:0:0:1:0:0:0:1                       | 2001:0:0:1::1",
            "1:2:3:4:5:6:7:8                          | 1:2:3:4:5:6:7:8",
            "127.0.0.1                                | 127.0.0.1",
            "10.0.0.0                                 | 10.0.0.0",
            "::ffff:192.0.2.1                         | 192.0.2.1",
    })
    void hostAddress(String literal, String expected) throws UnknownHostException {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(literal), 50_000);
        assertEquals(expected, RequestEnviron.hostAddress(peer));
    }
}
