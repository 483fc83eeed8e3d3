package io.jcorn.protocol.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProxyHeaderTest {
    private static final String REQUEST = "GET / HTTP/1.1\r\n";
    static final String V2_SIG = "0d0a0d0a000d0a515549540a";

    private static InputStream stream(byte[] bytes) {
        return new BufferedInputStream(new ByteArrayInputStream(bytes));
    }

    private static InputStream text(String s) {
        return stream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] v2(String hex) {
        byte[] head = HexFormat.of().parseHex(V2_SIG + hex);
        byte[] all = new byte[head.length + REQUEST.length()];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(REQUEST.getBytes(StandardCharsets.US_ASCII), 0, all, head.length, REQUEST.length());
        return all;
    }

    private static String rest(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void v1Tcp4AndTcp6() throws IOException {
        InputStream in = text("PROXY TCP4 203.0.113.7 10.0.0.1 56324 443\r\n" + REQUEST);
        assertEquals(new InetSocketAddress("203.0.113.7", 56324), ProxyHeader.read(in, ProxyHeader.Mode.V1));
        assertEquals(REQUEST, rest(in));
        InputStream six = text("PROXY TCP6 2001:db8::7 2001:db8::1 4000 443\r\n" + REQUEST);
        assertEquals(new InetSocketAddress("2001:db8::7", 4000), ProxyHeader.read(six, ProxyHeader.Mode.AUTO));
        assertEquals(REQUEST, rest(six));
        assertNull(ProxyHeader.read(text("PROXY UNKNOWN\r\n" + REQUEST), ProxyHeader.Mode.V1));
    }

    @Test
    void v2Tcp4Tcp6AndLocal() throws IOException {
        InputStream in = stream(v2("2111000ccb007107" + "0a000001" + "dc0401bb"));
        assertEquals(new InetSocketAddress("203.0.113.7", 56324), ProxyHeader.read(in, ProxyHeader.Mode.V2));
        assertEquals(REQUEST, rest(in));
        InputStream six = stream(v2("21210024" + "20010db8000000000000000000000007" + "20010db8000000000000000000000001"
                + "0fa001bb"));
        assertEquals(new InetSocketAddress("2001:db8::7", 4000), ProxyHeader.read(six, ProxyHeader.Mode.AUTO));
        assertEquals(REQUEST, rest(six));
        InputStream local = stream(v2("20000000"));
        assertNull(ProxyHeader.read(local, ProxyHeader.Mode.V2));
        assertEquals(REQUEST, rest(local));
        InputStream withTlvs = stream(v2("2111000fcb007107" + "0a000001" + "dc0401bb" + "030000"));
        assertEquals(new InetSocketAddress("203.0.113.7", 56324), ProxyHeader.read(withTlvs, ProxyHeader.Mode.V2));
        assertEquals(REQUEST, rest(withTlvs));
    }

    @Test
    void autoWithoutAHeaderLeavesTheRequest() throws IOException {
        InputStream in = text(REQUEST);
        assertNull(ProxyHeader.read(in, ProxyHeader.Mode.AUTO));
        assertEquals(REQUEST, rest(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "PROXY TCP4 203.0.113.7 10.0.0.1 56324\r\n",
            "PROXY TCP4 203.0.113.7 10.0.0.1 56324 443 x\r\n",
            "PROXY TCP4 300.0.113.7 10.0.0.1 56324 443\r\n",
            "PROXY TCP4 example.com 10.0.0.1 56324 443\r\n",
            "PROXY TCP4 2001:db8::7 10.0.0.1 56324 443\r\n",
            "PROXY TCP6 203.0.113.7 2001:db8::1 56324 443\r\n",
            "PROXY TCP4 203.0.113.7 10.0.0.1 65536 443\r\n",
            "PROXY TCP4 203.0.113.7 10.0.0.1 -1 443\r\n",
            "PROXY UDP4 203.0.113.7 10.0.0.1 1 443\r\n",
            "PROXY TCP4 203.0.113.7 10.0.0.1 1 443\n",
            "PROXY  TCP4 203.0.113.7 10.0.0.1 1 443\r\n",
            "GET / HTTP/1.1\r\n",
    })
    void malformedV1IsRefused(String line) {
        assertThrows(IOException.class, () -> ProxyHeader.read(text(line + "x".repeat(120) + "\r\n"), ProxyHeader.Mode.V1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1111000c", "2211000c", "2111000b", "2131000c", "2511000c"})
    void malformedV2IsRefused(String header) {
        assertThrows(IOException.class, () -> ProxyHeader.read(stream(v2(header + "cb007107")), ProxyHeader.Mode.V2));
    }

    @Test
    void wrongVersionForTheModeIsRefused() {
        assertThrows(IOException.class, () -> ProxyHeader.read(stream(v2("20000000")), ProxyHeader.Mode.V1));
        assertThrows(IOException.class,
                () -> ProxyHeader.read(text("PROXY UNKNOWN\r\n" + REQUEST), ProxyHeader.Mode.V2));
        assertThrows(IOException.class, () -> ProxyHeader.read(text("PROXY TCP4 1.2.3.4 5.6.7.8 1 2"),
                ProxyHeader.Mode.V1), "ends before CRLF");
    }
}
