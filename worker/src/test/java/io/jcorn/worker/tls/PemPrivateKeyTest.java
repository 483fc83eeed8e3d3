package io.jcorn.worker.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jcorn.worker.tls.TestCertificates.der;
import static io.jcorn.worker.tls.TestCertificates.pem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Each key form Gunicorn's --keyfile takes, made by keytool (and by openssl where it is installed). */
class PemPrivateKeyTest {
    private static TestCertificates certs;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.get();
    }

    private PrivateKey read(String text) throws Exception {
        return PemPrivateKey.read(PemFile.read("--keyfile", Files.writeString(dir.resolve("key.pem"), text)));
    }

    private String refusal(String text) {
        return assertThrows(TlsFileException.class, () -> read(text)).reason();
    }

    @Test
    void pkcs8KeysOfEveryKindAreRead() throws Exception {
        for (TestCertificates.Pair pair : List.of(certs.rsa, certs.ec256, certs.ec384, certs.ec521, certs.ed25519)) {
            PrivateKey key = PemPrivateKey.read(PemFile.read("--keyfile", pair.key()));
            assertArrayEquals(pair.privateKey().getEncoded(), key.getEncoded(), pair.key().toString());
        }
    }

    @Test
    void aPkcs1RsaKeyIsRead() throws Exception {
        PrivateKey key = read(pem("RSA PRIVATE KEY", TestCertificates.pkcs1(certs.rsa.privateKey())));
        assertEquals("RSA", key.getAlgorithm());
        assertArrayEquals(certs.rsa.privateKey().getEncoded(), key.getEncoded());
    }

    @Test
    void sec1EcKeysOnTheThreeNamedCurvesAreRead() throws Exception {
        record Curve(TestCertificates.Pair pair, String oid) {}
        for (Curve c : List.of(new Curve(certs.ec256, TestCertificates.P256), new Curve(certs.ec384, TestCertificates.P384),
                new Curve(certs.ec521, TestCertificates.P521))) {
            ECPrivateKey original = (ECPrivateKey) c.pair().privateKey();
            ECPrivateKey key = (ECPrivateKey) read(pem("EC PRIVATE KEY", TestCertificates.sec1(original, c.oid())));
            assertEquals(original.getS(), key.getS());
            assertEquals(original.getParams().getCurve(), key.getParams().getCurve());
        }
    }

    @Test
    void anEcParametersBlockBeforeTheKeyIsPassedOver() throws Exception {
        byte[] sec1 = TestCertificates.sec1((ECPrivateKey) certs.ec256.privateKey(), TestCertificates.P256);
        PrivateKey key = read(pem("EC PARAMETERS", HexFormat.of().parseHex(TestCertificates.P256)) + pem("EC PRIVATE KEY", sec1));
        assertEquals(((ECPrivateKey) certs.ec256.privateKey()).getS(), ((ECPrivateKey) key).getS());
    }

    @Test
    void theKeyIsFoundBesideCertificates() throws Exception {
        String combined = Files.readString(certs.rsa.cert()) + Files.readString(certs.rsa.key());
        assertArrayEquals(certs.rsa.privateKey().getEncoded(), read(combined).getEncoded());
    }

    @Test
    void aFileWithoutAKeyOrWithTwoIsRefused() throws Exception {
        assertEquals("no private key in it (a '-----BEGIN PRIVATE KEY-----' block)", refusal(Files.readString(certs.rsa.cert())));
        assertEquals("it holds 2 private keys; keep only the server's",
                refusal(Files.readString(certs.rsa.key()) + Files.readString(certs.ec256.key())));
    }

    @Test
    void encryptedKeysAreRefusedWithWhatToDo() {
        String pkcs8 = refusal(pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0}));
        assertTrue(pkcs8.startsWith("the key is encrypted (PKCS#8); jcorn reads unencrypted keys: decrypt it with 'openssl pkey"), pkcs8);
        String traditional = refusal("""
                -----BEGIN RSA PRIVATE KEY-----
                Proc-Type: 4,ENCRYPTED
                DEK-Info: AES-256-CBC,0123456789ABCDEF0123456789ABCDEF

                AQID
                -----END RSA PRIVATE KEY-----
                """);
        assertTrue(traditional.startsWith("the key is encrypted (AES-256-CBC,0123456789ABCDEF0123456789ABCDEF); jcorn reads"),
                traditional);
    }

    @Test
    void keyFormsJcornDoesNotReadAreNamed() {
        assertEquals("a 'OPENSSH PRIVATE KEY' is not a key jcorn reads; convert it to PKCS#8 with 'openssl pkey -in KEY -out KEY.pem'",
                refusal(pem("OPENSSH PRIVATE KEY", new byte[] {1})));
        assertTrue(refusal(pem("DSA PRIVATE KEY", new byte[] {1})).startsWith("a 'DSA PRIVATE KEY' is not a key jcorn reads"));
    }

    @Test
    void ecKeysOffTheThreeCurvesOrWithoutTheirNameAreRefused() {
        byte[] value = new byte[32];
        value[31] = 7;
        byte[] secp256k1 = der(0x30, der(0x02, new byte[] {1}), der(0x04, value), der(0xa0, HexFormat.of().parseHex("06052b8104000a")));
        assertEquals("the EC key's curve (OID 1.3.132.0.10) is not one TLS servers use; jcorn takes P-256, P-384 and P-521",
                refusal(pem("EC PRIVATE KEY", secp256k1)));
        byte[] unnamed = der(0x30, der(0x02, new byte[] {1}), der(0x04, value));
        assertEquals("the EC key does not name its curve (P-256, P-384 or P-521)", refusal(pem("EC PRIVATE KEY", unnamed)));
        byte[] explicit = der(0x30, der(0x02, new byte[] {1}), der(0x04, value), der(0xa0, der(0x30, der(0x02, new byte[] {1}))));
        assertTrue(refusal(pem("EC PRIVATE KEY", explicit)).startsWith("the EC key gives its curve's parameters, not its name"));
    }

    @Test
    void aPkcs8KeyOfAnotherAlgorithmIsNamedByItsOid() {
        byte[] x25519 = der(0x30, der(0x02, new byte[] {0}), der(0x30, HexFormat.of().parseHex("06032b656e")),
                der(0x04, der(0x04, new byte[32])));
        assertEquals("the key's algorithm (OID 1.3.101.110) is not one jcorn serves TLS with (RSA, EC, Ed25519, Ed448)",
                refusal(pem("PRIVATE KEY", x25519)));
    }

    @Test
    void bytesThatAreNoKeyAreRefused() {
        assertEquals("the 'PRIVATE KEY' block at line 1 is not a key: truncated DER element", refusal(pem("PRIVATE KEY", new byte[] {0x30})));
        assertTrue(refusal(pem("RSA PRIVATE KEY", der(0x30, der(0x02, new byte[] {0})))).startsWith("the key cannot be read: "));
    }

    // ---------------------------------------------------------------- as openssl writes them

    private static boolean hasOpenssl() {
        return Files.isExecutable(Path.of("/usr/bin/openssl"));
    }

    private Path openssl(String out, String... args) throws Exception {
        Path file = dir.resolve(out);
        List<String> command = new ArrayList<>(List.of("openssl", args[0], "-out", file.toString()));
        command.addAll(List.of(args).subList(1, args.length));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + command + ": " + output);
        return file;
    }

    @Test
    void keysAsOpensslWritesThemAreRead() throws Exception {
        assumeTrue(hasOpenssl(), "openssl is not installed");
        Path pkcs1 = openssl("rsa.pem", "genrsa", "-traditional", "2048");
        assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals("RSA", PemPrivateKey.read(PemFile.read("--keyfile", pkcs1)).getAlgorithm());

        for (String curve : List.of("prime256v1", "secp384r1", "secp521r1")) {
            Path sec1 = openssl(curve + ".pem", "ecparam", "-name", curve, "-genkey");
            assertTrue(Files.readString(sec1).contains("BEGIN EC PARAMETERS"));
            assertEquals("EC", PemPrivateKey.read(PemFile.read("--keyfile", sec1)).getAlgorithm());
        }
        Path ed = openssl("ed.pem", "genpkey", "-algorithm", "ed25519");
        assertEquals("EdDSA", PemPrivateKey.read(PemFile.read("--keyfile", ed)).getAlgorithm());
    }

    @Test
    void encryptedKeysAsOpensslWritesThemAreRefused() throws Exception {
        assumeTrue(hasOpenssl(), "openssl is not installed");
        Path traditional = openssl("enc-rsa.pem", "genrsa", "-traditional", "-aes256", "-passout", "pass:x", "2048");
        String reason = assertThrows(TlsFileException.class, () -> PemPrivateKey.read(PemFile.read("--keyfile", traditional))).reason();
        assertTrue(reason.startsWith("the key is encrypted (AES-256-CBC,"), reason);
        Path pkcs8 = openssl("enc-pkcs8.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-aes-256-cbc", "-pass", "pass:x");
        reason = assertThrows(TlsFileException.class, () -> PemPrivateKey.read(PemFile.read("--keyfile", pkcs8))).reason();
        assertTrue(reason.startsWith("the key is encrypted (PKCS#8)"), reason);
    }
}
