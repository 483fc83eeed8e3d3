package io.jcorn.worker.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.jcorn.worker.tls.TestCertificates.der;

/**
 * An X.509 v3 certificate (RFC 5280) built and signed with the JDK's public API: a subject of CN
 * and O attributes, dates, and the extensions TLS needs (a CA's basic constraints, a server's
 * names). For tests only; the JDK's certificate factory reads the result.
 */
final class CertificateBuilder {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String CN = "0603550403", O = "060355040a";
    private static final String SAN = "0603551d11", BASIC_CONSTRAINTS = "0603551d13", KEY_USAGE = "0603551d0f";

    private final String subject;
    private final PublicKey publicKey;
    private final Instant notBefore, notAfter;
    private final List<byte[]> extensions = new ArrayList<>();

    CertificateBuilder(String subject, PublicKey publicKey, Instant notBefore, Instant notAfter) {
        this.subject = subject;
        this.publicKey = publicKey;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
    }

    /** Names localhost and 127.0.0.1, so clients that check the server's name accept it. */
    CertificateBuilder forLocalhost() {
        byte[] names = der(0x30, der(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)), der(0x87, new byte[] {127, 0, 0, 1}));
        extensions.add(extension(SAN, false, names));
        return this;
    }

    /** May sign certificates. */
    CertificateBuilder authority() {
        extensions.add(extension(BASIC_CONSTRAINTS, true, der(0x30, der(0x01, new byte[] {(byte) 0xff}))));
        extensions.add(extension(KEY_USAGE, true, der(0x03, new byte[] {1, (byte) 0x06}))); // keyCertSign, cRLSign
        return this;
    }

    X509Certificate signedBy(String issuer, PrivateKey issuerKey) throws Exception {
        byte[] algorithm = algorithm(issuerKey);
        List<byte[]> tbs = new ArrayList<>(List.of(
                der(0xa0, der(0x02, new byte[] {2})),
                der(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
                algorithm, name(issuer),
                der(0x30, time(notBefore), time(notAfter)),
                name(subject), publicKey.getEncoded()));
        if (!extensions.isEmpty()) tbs.add(der(0xa3, der(0x30, extensions.toArray(byte[][]::new))));
        byte[] toBeSigned = der(0x30, tbs.toArray(byte[][]::new));
        Signature signer = Signature.getInstance(signatureName(issuerKey));
        signer.initSign(issuerKey);
        signer.update(toBeSigned);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] certificate = der(0x30, toBeSigned, algorithm, der(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static String signatureName(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
    }

    private static byte[] algorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> der(0x30, HexFormat.of().parseHex("06092a864886f70d01010b"), der(0x05));
            case "EC" -> der(0x30, HexFormat.of().parseHex("06082a8648ce3d040302"));
            default -> der(0x30, HexFormat.of().parseHex("06032b6570"));
        };
    }

    /** "CN=a,O=b" as an X.501 name, attributes in the order given. */
    private static byte[] name(String text) {
        List<byte[]> rdns = new ArrayList<>();
        for (String attribute : text.split(",")) {
            String[] kv = attribute.split("=", 2);
            String oid = kv[0].equals("CN") ? CN : O;
            rdns.add(der(0x31, der(0x30, HexFormat.of().parseHex(oid), der(0x0c, kv[1].getBytes(StandardCharsets.UTF_8)))));
        }
        return der(0x30, rdns.toArray(byte[][]::new));
    }

    private static byte[] time(Instant instant) {
        return der(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] extension(String oidHex, boolean critical, byte[] value) {
        byte[] oid = HexFormat.of().parseHex(oidHex);
        return critical ? der(0x30, oid, der(0x01, new byte[] {(byte) 0xff}), der(0x04, value)) : der(0x30, oid, der(0x04, value));
    }
}
