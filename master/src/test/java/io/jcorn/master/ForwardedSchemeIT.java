package io.jcorn.master;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** jcorn.url_scheme from X-Forwarded-* only when the peer is trusted (--forwarded-allow-ips). */
class ForwardedSchemeIT {
    private static final String PROTO = "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-Proto: https\r\n\r\n";

    @Test
    void loopbackProxiesAreBelievedByDefault() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Echo")) {
            Http.Response https = Http.send(jcorn.address(), PROTO);
            assertEquals("https", https.environ("jcorn.url_scheme"), https.body());
            Http.Response ssl = Http.send(jcorn.address(), "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-Ssl: on\r\n\r\n");
            assertEquals("https", ssl.environ("jcorn.url_scheme"), ssl.body());
            assertEquals("http", Http.get(jcorn.address(), "/").environ("jcorn.url_scheme"));
            Http.Response conflict = Http.send(jcorn.address(),
                    "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Ssl: off\r\n\r\n");
            assertEquals(400, conflict.status(), conflict.raw());
        }
    }

    @Test
    void otherPeersAreIgnored() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "--forwarded-allow-ips", "10.9.8.7", "--secure-scheme-headers", "X-Scheme=https",
                "io.jcorn.examples.Echo")) {
            assertEquals("http", Http.send(jcorn.address(), PROTO).environ("jcorn.url_scheme"));
            assertEquals("http", Http.send(jcorn.address(), "GET / HTTP/1.1\r\nHost: x\r\nX-Scheme: https\r\n\r\n")
                    .environ("jcorn.url_scheme"));
        }
    }
}
