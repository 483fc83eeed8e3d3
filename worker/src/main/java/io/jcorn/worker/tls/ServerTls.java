package io.jcorn.worker.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server side of TLS for Gunicorn's SSL settings, with the JDK alone: the certificate chain,
 * key and CA bundle read from PEM files, and an {@link SSLContext} with {@link SSLParameters}
 * that follow {@code --cert-reqs} and {@code --ciphers}. Built once per worker at boot (so new
 * workers read rotated files: HUP is how a certificate is replaced); {@link #newEngine()} per
 * connection.
 *
 * <p>As Gunicorn does: the key may sit in {@code --certfile} when {@code --keyfile} is not given;
 * client certificates are checked against {@code --ca-certs} only (not the system's CAs), so
 * {@code --cert-reqs} 1 or 2 without it accepts no client certificate; the server's cipher order
 * decides. Differs: a certificate past its dates is a warning here (OpenSSL says nothing, and
 * clients refuse it); {@code --ssl-version} is accepted with a warning, as Gunicorn ignores it too;
 * TLS 1.0 and 1.1 stay off (the JDK's defaults: TLS 1.3 and 1.2).
 */
public final class ServerTls {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final TlsOptions options;
    private final SSLContext context;
    private final SSLParameters parameters;
    private final X509Certificate[] chain;
    private final List<String> warnings;

    private ServerTls(TlsOptions options, SSLContext context, SSLParameters parameters, X509Certificate[] chain,
                      List<String> warnings) {
        this.options = options;
        this.context = context;
        this.parameters = parameters;
        this.chain = chain;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads the files {@code options} name and builds the context.
     *
     * @throws TlsFileException one line naming the setting, the file and what is wrong with it
     * @throws IllegalArgumentException if {@code --ciphers} selects no suite the JDK has
     */
    public static ServerTls load(TlsOptions options) throws TlsFileException {
        List<String> warnings = new ArrayList<>();
        PemFile certfile = PemFile.read("--certfile", options.certfile());
        X509Certificate[] chain = PemCertificates.read(certfile).toArray(X509Certificate[]::new);
        PemFile keyfile = options.keyfile() == null ? certfile : PemFile.read("--keyfile", options.keyfile());
        PrivateKey key = PemPrivateKey.read(keyfile);
        checkPair(key, chain, keyfile, certfile);
        checkDates(chain[0], certfile, warnings);
        TrustManager[] trust = trust(options, warnings);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new ServerKeyManager(key, chain)}, trust, null);
            SSLParameters parameters = parameters(context, options, warnings);
            if (options.sslVersion() != null) {
                warnings.add("--ssl-version " + options.sslVersion() + " is deprecated and ignored, as in Gunicorn;"
                        + " TLS 1.3 and 1.2 are offered");
            }
            return new ServerTls(options, context, parameters, chain, warnings);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS cannot be set up: " + e.getMessage(), e);
        }
    }

    private static SSLParameters parameters(SSLContext context, TlsOptions options, List<String> warnings) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setUseCipherSuitesOrder(true);
        switch (options.certReqs()) {
            case TlsOptions.CERT_OPTIONAL -> parameters.setWantClientAuth(true);
            case TlsOptions.CERT_REQUIRED -> parameters.setNeedClientAuth(true);
            default -> { }
        }
        if (options.ciphers() != null) {
            List<String> available = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
            OpenSslCiphers.Selection selection = OpenSslCiphers.select(options.ciphers(), available);
            parameters.setCipherSuites(selection.suites().toArray(String[]::new));
            if (!selection.unmatched().isEmpty()) {
                warnings.add("--ciphers: no JDK equivalent, left out: " + String.join(", ", selection.unmatched()));
            }
        }
        return parameters;
    }

    /** The key must be the first certificate's: OpenSSL's load_cert_chain refuses a mismatch too. */
    private static void checkPair(PrivateKey key, X509Certificate[] chain, PemFile keyfile, PemFile certfile)
            throws TlsFileException {
        if (matches(key, chain[0].getPublicKey())) return;
        for (int i = 1; i < chain.length; i++) {
            if (matches(key, chain[i].getPublicKey())) {
                throw keyfile.error("the key is for certificate #" + (i + 1) + " of " + certfile.setting() + " "
                        + certfile.path() + "; the server's certificate must come first, then its intermediates");
            }
        }
        throw keyfile.error("the key does not match the certificate of " + certfile.setting() + " " + certfile.path()
                + " (" + chain[0].getSubjectX500Principal().getName() + ")");
    }

    /** Whether {@code key} is the private half of {@code publicKey}: signs a nonce and checks it. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey rsa) return publicKey instanceof RSAKey other && rsa.getModulus().equals(other.getModulus());
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) return false;
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a public key of another kind
        }
    }

    private static void checkDates(X509Certificate certificate, PemFile certfile, List<String> warnings) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            warnings.add(certfile.setting() + " " + certfile.path() + ": the certificate expired on "
                    + DAY.format(certificate.getNotAfter().toInstant()) + "; clients will refuse it");
        } catch (CertificateNotYetValidException e) {
            warnings.add(certfile.setting() + " " + certfile.path() + ": the certificate is not valid before "
                    + DAY.format(certificate.getNotBefore().toInstant()) + "; clients will refuse it until then");
        }
    }

    /** Client certificates are checked against {@code --ca-certs} alone; none given trusts none. */
    private static TrustManager[] trust(TlsOptions options, List<String> warnings) throws TlsFileException {
        if (options.certReqs() == TlsOptions.CERT_NONE) return null;
        if (options.caCerts() == null) {
            warnings.add("--cert-reqs " + options.certReqs() + " without --ca-certs: no client certificate can be"
                    + " verified, so a client that sends one fails its handshake");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            if (options.caCerts() != null) {
                List<X509Certificate> authorities = PemCertificates.read(PemFile.read("--ca-certs", options.caCerts()));
                for (int i = 0; i < authorities.size(); i++) store.setCertificateEntry("ca" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the JDK's trust managers cannot be set up: " + e.getMessage(), e);
        }
    }

    /** A server-side engine for one connection, with the settings' parameters. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        return engine;
    }

    public TlsOptions options() {
        return options;
    }

    public SSLContext context() {
        return context;
    }

    /** A copy of the parameters every engine gets. */
    public SSLParameters parameters() {
        SSLParameters copy = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
        copy.setNeedClientAuth(parameters.getNeedClientAuth());
        if (!parameters.getNeedClientAuth()) copy.setWantClientAuth(parameters.getWantClientAuth());
        copy.setUseCipherSuitesOrder(parameters.getUseCipherSuitesOrder());
        return copy;
    }

    /** The server's certificate, then its intermediates, as served. */
    public List<X509Certificate> certificateChain() {
        return List.of(chain);
    }

    /** What is usable but likely wrong (an expired certificate, cipher names left out), for the worker's log. */
    public List<String> warnings() {
        return warnings;
    }
}
