package io.jcorn.worker.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The context built from the files serves real handshakes over loopback, with the JDK's SSLSocket as the client. */
class ServerTlsTest {
    private static TestCertificates certs;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.get();
    }

    /** What a handshake came to: on the server, the client certificate's subject; on the client, the suite. */
    record Outcome(String clientSubject, String suite, String protocol, Exception failure) {}

    static SSLContext client(KeyStore keys, Certificate... trusted) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TestCertificates.trusting(trusted));
        KeyManagerFactory keyManagers = null;
        if (keys != null) {
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, TestCertificates.password());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    /** A handshake and one byte each way, the server on an SSLServerSocket with the context and parameters under test. */
    static Outcome handshake(ServerTls tls, SSLContext client, String... clientSuites) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) tls.context().getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSSLParameters(tls.parameters());
            CompletableFuture<String> serverSide = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> serverSide.complete(serve(server)));
            String suite, protocol;
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (clientSuites.length > 0) parameters.setCipherSuites(clientSuites);
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                socket.getOutputStream().write(1);
                if (socket.getInputStream().read() != 2) throw new IOException("the server did not answer");
                suite = socket.getSession().getCipherSuite();
                protocol = socket.getSession().getProtocol();
            } catch (IOException e) {
                server.close();
                return new Outcome(null, null, null, e);
            }
            // after the client's close: the server's close may wait for the client's close_notify
            return new Outcome(serverSide.get(10, TimeUnit.SECONDS), suite, protocol, null);
        }
    }

    private static String serve(SSLServerSocket server) {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            if (socket.getInputStream().read() != 1) return "no byte";
            String subject;
            try {
                subject = socket.getSession().getPeerPrincipal().getName();
            } catch (SSLPeerUnverifiedException e) {
                subject = null;
            }
            socket.getOutputStream().write(2);
            return subject;
        } catch (IOException e) {
            return "server failed: " + e;
        }
    }

    private static ServerTls load(TestCertificates.Pair pair) throws Exception {
        return ServerTls.load(TlsOptions.of(pair.cert(), pair.key()));
    }

    private static void served(Outcome outcome) {
        assertNull(outcome.failure(), () -> "handshake failed: " + outcome.failure());
    }

    @Test
    void rsaEcAndEd25519CertificatesServe() throws Exception {
        for (TestCertificates.Pair pair : List.of(certs.rsa, certs.ec256, certs.ec384, certs.ec521, certs.ed25519)) {
            ServerTls tls = load(pair);
            assertEquals(List.of(), tls.warnings());
            Outcome outcome = handshake(tls, client(null, pair.certificate()));
            served(outcome);
            assertEquals("TLSv1.3", outcome.protocol(), pair.cert().toString());
        }
    }

    @Test
    void aChainIsServedWholeSoClientsTrustingTheCaAccept() throws Exception {
        ServerTls tls = load(certs.signed);
        assertEquals(2, tls.certificateChain().size());
        served(handshake(tls, client(null, certs.ca.certificate())));
    }

    @Test
    void theKeyMayBeInTheCertificateFile() throws Exception {
        Path both = Files.writeString(dir.resolve("both.pem"), Files.readString(certs.ec256.cert()) + Files.readString(certs.ec256.key()));
        served(handshake(ServerTls.load(TlsOptions.of(both, null)), client(null, certs.ec256.certificate())));
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() {
        TlsFileException e = assertThrows(TlsFileException.class, () -> ServerTls.load(TlsOptions.of(certs.rsa.cert(), certs.ec256.key())));
        assertEquals("--keyfile", e.setting());
        assertEquals("the key does not match the certificate of --certfile " + certs.rsa.cert() + " (O=jcorn tests,CN=localhost)", e.reason());
        e = assertThrows(TlsFileException.class, () -> ServerTls.load(TlsOptions.of(certs.ec256.cert(), certs.ec384.key())));
        assertTrue(e.reason().startsWith("the key does not match the certificate of --certfile"), e.reason());
    }

    @Test
    void aChainInTheWrongOrderIsRefusedSayingWhichComesFirst() throws Exception {
        Path reversed = Files.writeString(dir.resolve("reversed.pem"),
                TestCertificates.pem("CERTIFICATE", certs.ca.certificate().getEncoded())
                        + TestCertificates.pem("CERTIFICATE", certs.signed.certificate().getEncoded()));
        TlsFileException e = assertThrows(TlsFileException.class, () -> ServerTls.load(TlsOptions.of(reversed, certs.signed.key())));
        assertEquals("the key is for certificate #2 of --certfile " + reversed
                + "; the server's certificate must come first, then its intermediates", e.reason());
    }

    @Test
    void badFilesAreNamedWithTheirSetting() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertEquals("--certfile " + missing + ": no such file",
                assertThrows(TlsFileException.class, () -> ServerTls.load(TlsOptions.of(missing, certs.rsa.key()))).getMessage());
        assertEquals("--keyfile " + missing + ": no such file",
                assertThrows(TlsFileException.class, () -> ServerTls.load(TlsOptions.of(certs.rsa.cert(), missing))).getMessage());
        assertEquals("--certfile " + certs.rsa.key() + ": no certificate in it (a '-----BEGIN CERTIFICATE-----' block)",
                assertThrows(TlsFileException.class, () -> ServerTls.load(TlsOptions.of(certs.rsa.key(), certs.rsa.key()))).getMessage());
        TlsOptions caMissing = TlsOptions.of(certs.rsa.cert(), certs.rsa.key()).withClientCertificates(2, missing);
        assertEquals("--ca-certs " + missing + ": no such file",
                assertThrows(TlsFileException.class, () -> ServerTls.load(caMissing)).getMessage());
        Path notPem = Files.write(dir.resolve("cert.der"), certs.rsa.certificate().getEncoded());
        assertEquals("--certfile " + notPem + ": not a PEM file (it has no '-----BEGIN' line)",
                assertThrows(TlsFileException.class, () -> ServerTls.load(TlsOptions.of(notPem, certs.rsa.key()))).getMessage());
    }

    @Test
    void anExpiredCertificateServesWithAWarning() throws Exception {
        ServerTls tls = load(certs.expired);
        assertEquals(1, tls.warnings().size());
        String warning = tls.warnings().getFirst();
        assertTrue(warning.startsWith("--certfile " + certs.expired.cert() + ": the certificate expired on "), warning);
        assertTrue(warning.endsWith("; clients will refuse it"), warning);
        // served all the same (a client that holds the certificate itself as its trust anchor even accepts it)
        served(handshake(tls, client(null, certs.expired.certificate())));
    }

    @Test
    void sslVersionIsAcceptedWithAWarning() throws Exception {
        ServerTls tls = ServerTls.load(TlsOptions.of(certs.ec256.cert(), certs.ec256.key()).withSslVersion("TLSv1_2"));
        assertEquals(List.of("--ssl-version TLSv1_2 is deprecated and ignored, as in Gunicorn; TLS 1.3 and 1.2 are offered"),
                tls.warnings());
        served(handshake(tls, client(null, certs.ec256.certificate())));
    }

    @Test
    void certReqsTwoRequiresAClientCertificateFromTheCaCerts() throws Exception {
        ServerTls tls = ServerTls.load(TlsOptions.of(certs.ec256.cert(), certs.ec256.key()).withClientCertificates(2, certs.ca.cert()));
        assertTrue(tls.parameters().getNeedClientAuth());
        Outcome with = handshake(tls, client(certs.clientStore(), certs.ec256.certificate()));
        served(with);
        assertEquals("O=jcorn tests,CN=client one", with.clientSubject());
        assertNotNull(handshake(tls, client(null, certs.ec256.certificate())).failure(), "no client certificate");
    }

    @Test
    void certReqsOneAsksButServesWithout() throws Exception {
        ServerTls tls = ServerTls.load(TlsOptions.of(certs.ec256.cert(), certs.ec256.key()).withClientCertificates(1, certs.ca.cert()));
        assertTrue(tls.parameters().getWantClientAuth());
        assertEquals("O=jcorn tests,CN=client one", handshake(tls, client(certs.clientStore(), certs.ec256.certificate())).clientSubject());
        Outcome without = handshake(tls, client(null, certs.ec256.certificate()));
        served(without);
        assertNull(without.clientSubject());
    }

    @Test
    void certReqsWithoutCaCertsTrustsNoClientAndSaysSo() throws Exception {
        ServerTls tls = ServerTls.load(TlsOptions.of(certs.ec256.cert(), certs.ec256.key()).withClientCertificates(2, null));
        assertEquals(List.of("--cert-reqs 2 without --ca-certs: no client certificate can be verified, so a client that"
                + " sends one fails its handshake"), tls.warnings());
        assertNotNull(handshake(tls, client(certs.clientStore(), certs.ec256.certificate())).failure());
    }

    @Test
    void certReqsOutsideZeroToTwoIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsOptions.of(certs.ec256.cert(), certs.ec256.key()).withClientCertificates(3, null));
        assertEquals("--cert-reqs 3: 0 (no client certificate), 1 (optional) or 2 (required)", e.getMessage());
    }

    @Test
    void ciphersLimitTheTls12SuitesAndReportWhatHasNoEquivalent() throws Exception {
        ServerTls tls = ServerTls.load(TlsOptions.of(certs.ec256.cert(), certs.ec256.key())
                .withCiphers("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CAMELLIA128-SHA256"));
        assertEquals(List.of("--ciphers: no JDK equivalent, left out: ECDHE-ECDSA-CAMELLIA128-SHA256"), tls.warnings());
        assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), Arrays.asList(tls.parameters().getCipherSuites()));
        SSLContext tls12Client = client(null, certs.ec256.certificate());
        Outcome outcome = handshake(tls, tls12Client, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        served(outcome);
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", outcome.suite());
        assertNotNull(handshake(tls, tls12Client, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384").failure());
    }

    @Test
    void ciphersThatSelectNothingAreRefused() {
        TlsOptions options = TlsOptions.of(certs.ec256.cert(), certs.ec256.key()).withCiphers("CAMELLIA");
        assertThrows(IllegalArgumentException.class, () -> ServerTls.load(options));
    }
}
