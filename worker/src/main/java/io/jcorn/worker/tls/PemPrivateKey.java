package io.jcorn.worker.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The private key of {@code --keyfile}, in the forms Gunicorn (OpenSSL) reads unencrypted: PKCS#8
 * ({@code BEGIN PRIVATE KEY}: RSA, RSASSA-PSS, EC, Ed25519, Ed448), PKCS#1 ({@code BEGIN RSA
 * PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}, on the named curves P-256, P-384 and
 * P-521). The traditional forms are rewrapped as PKCS#8, the one form the JDK's key factories take.
 *
 * <p>Differs from Gunicorn: an encrypted key is refused with a line saying so, where OpenSSL would
 * ask for its passphrase on the terminal (Gunicorn has no setting for one).
 */
final class PemPrivateKey {
    private static final String PKCS8 = "PRIVATE KEY", PKCS1 = "RSA PRIVATE KEY", SEC1 = "EC PRIVATE KEY";
    private static final String ENCRYPTED = "ENCRYPTED PRIVATE KEY";
    private static final String DECRYPT = "; jcorn reads unencrypted keys: decrypt it with"
            + " 'openssl pkey -in KEY -out PLAIN' and keep PLAIN readable only by the server's user";

    /** PKCS#8 algorithm identifiers, and the JDK key factory for each. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");
    /** The curves TLS uses, by their OBJECT IDENTIFIER. */
    private static final Map<String, String> CURVES = Map.of(
            "1.2.840.10045.3.1.7", "P-256",
            "1.3.132.0.34", "P-384",
            "1.3.132.0.35", "P-521");

    private static final byte[] RSA_ALGORITHM = Der.encode(Der.SEQUENCE,
            HexFormat.of().parseHex("06092a864886f70d010101"), Der.encode(Der.NULL));
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");
    private static final byte[] VERSION_0 = Der.encode(Der.INTEGER, new byte[] {0});

    private PemPrivateKey() {}

    /**
     * The one private key of {@code file}.
     *
     * @throws TlsFileException if it has none, several, an encrypted one, or one the JDK cannot use
     */
    static PrivateKey read(PemFile file) throws TlsFileException {
        PemFile.Block block = onlyKey(file);
        if (block.label().equals(ENCRYPTED)) throw file.error("the key is encrypted (PKCS#8)" + DECRYPT);
        if (block.headers().getOrDefault("Proc-Type", "").contains("ENCRYPTED")) {
            throw file.error("the key is encrypted (" + block.headers().getOrDefault("DEK-Info", "a passphrase") + ")" + DECRYPT);
        }
        try {
            byte[] pkcs8 = switch (block.label()) {
                case PKCS1 -> Der.encode(Der.SEQUENCE, VERSION_0, RSA_ALGORITHM, Der.encode(Der.OCTET_STRING, block.der()));
                case SEC1 -> fromSec1(block.der());
                default -> block.der();
            };
            return KeyFactory.getInstance(algorithm(pkcs8)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (Der.MalformedException e) {
            throw file.error("the '" + block.label() + "' block at line " + block.line() + " is not a key: " + e.getMessage());
        } catch (UnsupportedKey e) {
            throw file.error(e.getMessage());
        } catch (GeneralSecurityException e) {
            throw file.error("the key cannot be read: " + e.getMessage());
        }
    }

    private static PemFile.Block onlyKey(PemFile file) throws TlsFileException {
        List<PemFile.Block> keys = file.blocks().stream().filter(b -> b.label().endsWith("PRIVATE KEY")).toList();
        if (keys.isEmpty()) throw file.error("no private key in it (a '-----BEGIN PRIVATE KEY-----' block)");
        if (keys.size() > 1) throw file.error("it holds " + keys.size() + " private keys; keep only the server's");
        PemFile.Block key = keys.getFirst();
        return switch (key.label()) {
            case PKCS8, PKCS1, SEC1, ENCRYPTED -> key;
            default -> throw file.error("a '" + key.label() + "' is not a key jcorn reads;"
                    + " convert it to PKCS#8 with 'openssl pkey -in KEY -out KEY.pem'");
        };
    }

    /** SEC1's ECPrivateKey names its curve inside; PKCS#8 names it in the algorithm beside the key. */
    private static byte[] fromSec1(byte[] sec1) throws Der.MalformedException, UnsupportedKey {
        Der.Element curve = null;
        for (Der.Element field : Der.sequence(sec1)) {
            if (field.tag() == Der.CONTEXT_0) curve = Der.parse(field.contents());
        }
        if (curve == null) throw new UnsupportedKey("the EC key does not name its curve (P-256, P-384 or P-521)");
        if (curve.tag() != Der.OID) {
            throw new UnsupportedKey("the EC key gives its curve's parameters, not its name; jcorn takes the named"
                    + " curves P-256, P-384 and P-521 ('openssl ec -param_enc named_curve' rewrites it)");
        }
        byte[] algorithm = Der.encode(Der.SEQUENCE, EC_PUBLIC_KEY_OID, Der.encode(curve));
        return Der.encode(Der.SEQUENCE, VERSION_0, algorithm, Der.encode(Der.OCTET_STRING, sec1));
    }

    /** The JDK key factory for a PKCS#8 key, and for an EC key, a check of its curve. */
    private static String algorithm(byte[] pkcs8) throws Der.MalformedException, UnsupportedKey {
        List<Der.Element> fields = Der.sequence(pkcs8);
        if (fields.size() < 3 || fields.get(1).tag() != Der.SEQUENCE) throw new Der.MalformedException("not a PKCS#8 key");
        List<Der.Element> algorithm = fields.get(1).children();
        if (algorithm.isEmpty()) throw new Der.MalformedException("not a PKCS#8 key");
        String oid = Der.oid(algorithm.getFirst());
        String name = ALGORITHMS.get(oid);
        if (name == null) {
            throw new UnsupportedKey("the key's algorithm (OID " + oid + ") is not one jcorn serves TLS with"
                    + " (RSA, EC, Ed25519, Ed448)");
        }
        if (name.equals("EC")) checkCurve(algorithm);
        return name;
    }

    private static void checkCurve(List<Der.Element> algorithm) throws Der.MalformedException, UnsupportedKey {
        if (algorithm.size() < 2 || algorithm.get(1).tag() != Der.OID) {
            throw new UnsupportedKey("the EC key gives its curve's parameters, not its name; jcorn takes the named"
                    + " curves P-256, P-384 and P-521");
        }
        String curve = Der.oid(algorithm.get(1));
        if (!CURVES.containsKey(curve)) {
            throw new UnsupportedKey("the EC key's curve (OID " + curve + ") is not one TLS servers use;"
                    + " jcorn takes P-256, P-384 and P-521");
        }
    }

    /** A well-formed key that jcorn does not serve with. */
    private static final class UnsupportedKey extends Exception {
        UnsupportedKey(String message) {
            super(message, null, false, false);
        }
    }
}
