package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PROXY protocol v1 and v2 headers, hand-written, setting REMOTE_ADDR/REMOTE_PORT in Echo. */
class ProxyProtocolIT {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void v1AndV2SetTheClientAddressAndBadHeadersAreDisconnected() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "--proxy-protocol", "auto", "io.jcorn.examples.Echo")) {
            String url = jcorn.address();
            Http.Response v1 = Http.send(url, "PROXY TCP4 203.0.113.7 10.0.0.1 56324 443\r\n" + REQUEST);
            assertEquals("203.0.113.7", v1.environ("REMOTE_ADDR"), v1.raw());
            assertEquals("56324", v1.environ("REMOTE_PORT"));

            byte[] head = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "21210024"
                    + "20010db8000000000000000000000007" + "20010db8000000000000000000000001" + "0fa001bb");
            byte[] request = REQUEST.getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[head.length + request.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(request, 0, all, head.length, request.length);
            Http.Response v2 = Http.parse(Http.exchange(url, all));
            assertEquals("2001:db8::7", v2.environ("REMOTE_ADDR"), v2.raw());
            assertEquals("4000", v2.environ("REMOTE_PORT"));

            Http.Response none = Http.send(url, REQUEST);
            assertEquals("127.0.0.1", none.environ("REMOTE_ADDR"), "auto: no header, the peer's own address");

            assertEquals("", answer(url, "PROXY TCP4 203.0.113.7 10.0.0.1 99999 443\r\n" + REQUEST),
                    "a malformed header gets no answer");
            assertEquals(200, Http.get(url, "/").status());
        }
    }

    @Test
    void untrustedPeersAreDisconnected() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "--proxy-protocol", "v1", "--proxy-allow-from", "10.9.8.7", "io.jcorn.examples.Echo")) {
            assertEquals("", answer(jcorn.address(), "PROXY TCP4 203.0.113.7 10.0.0.1 1 443\r\n" + REQUEST));
        }
    }

    /** What the server answers; "" if it closes, which can be a reset when it closes before reading everything. */
    private static String answer(String url, String request) throws Exception {
        try {
            return Http.exchange(url, request.getBytes(StandardCharsets.US_ASCII));
        } catch (java.net.SocketException e) {
            return "";
        }
    }
}
