package io.jcorn.worker.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Certificates and keys made at test time (nothing binary is committed), once per test JVM, written
 * as the PEM files users hand Gunicorn. The certificates are built here with the JDK's signature
 * API, in milliseconds: keytool, a JVM per certificate, took seconds each on a busy machine. The
 * traditional key forms (PKCS#1, SEC1) are cut out of the JDK's PKCS#8 encoding here too,
 * independently of the code under test; openssl makes its own where it is installed.
 */
final class TestCertificates {
    private static final String PASSWORD = "secret";
    private static TestCertificates instance;

    final Path dir;
    /** A self-signed RSA 2048 certificate for localhost and 127.0.0.1, and its key. */
    final Pair rsa;
    final Pair ec256, ec384, ec521, ed25519;
    /** A certificate that expired days ago. */
    final Pair expired;
    /** A test CA, and a server certificate and a client certificate it signed. */
    final Pair ca, signed, client;

    /** A certificate file and its key, and the Java objects for clients to trust or present. */
    record Pair(Path cert, Path key, X509Certificate certificate, PrivateKey privateKey, X509Certificate[] chain) {}

    static synchronized TestCertificates get() throws Exception {
        if (instance == null) instance = new TestCertificates(Files.createTempDirectory("jcorn-tls"));
        return instance;
    }

    private TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1)), until = now.plus(Duration.ofDays(2));
        rsa = selfSigned("rsa", rsaKeys(), "CN=localhost,O=jcorn tests", from, until);
        ec256 = selfSigned("ec256", ecKeys("secp256r1"), "CN=localhost", from, until);
        ec384 = selfSigned("ec384", ecKeys("secp384r1"), "CN=localhost", from, until);
        ec521 = selfSigned("ec521", ecKeys("secp521r1"), "CN=localhost", from, until);
        ed25519 = selfSigned("ed25519", KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "CN=localhost", from, until);
        expired = selfSigned("expired", ecKeys("secp256r1"), "CN=localhost", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(8)));
        KeyPair authority = ecKeys("secp256r1");
        X509Certificate caCertificate = new CertificateBuilder("CN=jcorn test CA", authority.getPublic(), from, until)
                .authority().signedBy("CN=jcorn test CA", authority.getPrivate());
        ca = write("ca", caCertificate, authority.getPrivate(), caCertificate);
        signed = signed("signed", "CN=localhost", true, authority, from, until);
        client = signed("client", "CN=client one,O=jcorn tests", false, authority, from, until);
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair ecKeys(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private Pair selfSigned(String name, KeyPair keys, String subject, Instant from, Instant until) throws Exception {
        X509Certificate certificate = new CertificateBuilder(subject, keys.getPublic(), from, until).forLocalhost()
                .signedBy(subject, keys.getPrivate());
        return write(name, certificate, keys.getPrivate(), certificate);
    }

    /** A certificate the CA signed, written followed by the CA's: a chain as a --certfile holds it. */
    private Pair signed(String name, String subject, boolean server, KeyPair authority, Instant from, Instant until)
            throws Exception {
        KeyPair keys = ecKeys("secp256r1");
        CertificateBuilder builder = new CertificateBuilder(subject, keys.getPublic(), from, until);
        if (server) builder.forLocalhost();
        return write(name, builder.signedBy("CN=jcorn test CA", authority.getPrivate()), keys.getPrivate(), ca.certificate());
    }

    private Pair write(String name, X509Certificate certificate, PrivateKey key, X509Certificate... chain) throws Exception {
        StringBuilder pem = new StringBuilder(pem("CERTIFICATE", certificate.getEncoded()));
        List<X509Certificate> all = new ArrayList<>(List.of(certificate));
        for (X509Certificate next : chain) {
            if (next != certificate) {
                pem.append(pem("CERTIFICATE", next.getEncoded()));
                all.add(next);
            }
        }
        Path cert = write(name + ".pem", pem.toString());
        Path keyFile = write(name + ".key", pem("PRIVATE KEY", key.getEncoded()));
        return new Pair(cert, keyFile, certificate, key, all.toArray(X509Certificate[]::new));
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    // ---------------------------------------------------------------- the traditional key forms

    /** PKCS#1: the RSAPrivateKey that PKCS#8 carries in its OCTET STRING. */
    static byte[] pkcs1(PrivateKey rsaKey) {
        return pkcs8Payload(rsaKey.getEncoded());
    }

    /** SEC1 as OpenSSL writes it: version 1, the private value, and the curve's name in [0]. */
    static byte[] sec1(ECPrivateKey key, String curveOidHex) {
        int size = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        byte[] value = unsigned(key.getS().toByteArray(), size);
        return der(0x30, der(0x02, new byte[] {1}), der(0x04, value), der(0xa0, HexFormat.of().parseHex(curveOidHex)));
    }

    static final String P256 = "06082a8648ce3d030107", P384 = "06052b81040022", P521 = "06052b81040023";

    private static byte[] unsigned(byte[] twosComplement, int size) {
        byte[] out = new byte[size];
        int copy = Math.min(size, twosComplement.length);
        System.arraycopy(twosComplement, twosComplement.length - copy, out, size - copy, copy);
        return out;
    }

    /** The contents of the last top-level element of a PKCS#8 SEQUENCE: its privateKey OCTET STRING. */
    private static byte[] pkcs8Payload(byte[] pkcs8) {
        int[] outer = header(pkcs8, 0);
        int at = outer[0];
        byte[] last = null;
        while (at < pkcs8.length) {
            int[] h = header(pkcs8, at);
            if (pkcs8[at] == 0x04) last = java.util.Arrays.copyOfRange(pkcs8, h[0], h[0] + h[1]);
            at = h[0] + h[1];
        }
        return last;
    }

    /** {contents start, contents length} of the element at {@code at}. */
    private static int[] header(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) return new int[] {at + 2, first};
        int n = first & 0x7f, length = 0;
        for (int i = 0; i < n; i++) length = (length << 8) | (der[at + 2 + i] & 0xff);
        return new int[] {at + 2 + n, length};
    }

    static byte[] der(int tag, byte[]... parts) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) body.writeBytes(p);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(tag);
        int n = body.size();
        if (n < 0x80) out.write(n);
        else if (n < 0x100) { out.write(0x81); out.write(n); }
        else { out.write(0x82); out.write(n >> 8); out.write(n); }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind
        }
    }

    /** Certificates to present as a client, with the key store a client's KeyManagerFactory takes. */
    KeyStore clientStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", client.privateKey(), PASSWORD.toCharArray(), client.chain());
        return store;
    }

    /** A trust store holding {@code certificates}, for a client's TrustManagerFactory. */
    static KeyStore trusting(Certificate... certificates) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certificates.length; i++) store.setCertificateEntry("t" + i, certificates[i]);
        return store;
    }

    static char[] password() {
        return PASSWORD.toCharArray();
    }
}
