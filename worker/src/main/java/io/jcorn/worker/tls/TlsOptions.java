package io.jcorn.worker.tls;

import java.nio.file.Path;

/**
 * Gunicorn's SSL settings, as the worker gets them.
 *
 * @param certfile           {@code --certfile}: the server's certificate, then its intermediates
 * @param keyfile            {@code --keyfile}: its private key; null when it is in {@code certfile} (as OpenSSL allows)
 * @param caCerts            {@code --ca-certs}: the certificates client certificates are checked against; null for none
 * @param certReqs           {@code --cert-reqs}: 0 asks no client certificate, 1 asks for one, 2 requires one
 * @param ciphers            {@code --ciphers}: an OpenSSL cipher string (see {@link OpenSslCiphers}); null for the JDK's defaults
 * @param sslVersion         {@code --ssl-version}: deprecated and ignored by Gunicorn since 21.0, and here; null if not given
 * @param suppressRaggedEofs {@code --suppress-ragged-eofs}: a client that closes without TLS's close_notify has
 *                           simply ended (Gunicorn's default), rather than failed
 * @param doHandshakeOnConnect {@code --do-handshake-on-connect}: accepted; the handshake always runs on the
 *                           connection's own thread before its first request, never on the accepting thread
 */
public record TlsOptions(Path certfile, Path keyfile, Path caCerts, int certReqs, String ciphers,
                         String sslVersion, boolean suppressRaggedEofs, boolean doHandshakeOnConnect) {

    public static final int CERT_NONE = 0, CERT_OPTIONAL = 1, CERT_REQUIRED = 2;

    public TlsOptions {
        if (certfile == null) throw new IllegalArgumentException("TLS needs --certfile");
        if (certReqs < CERT_NONE || certReqs > CERT_REQUIRED) {
            throw new IllegalArgumentException("--cert-reqs " + certReqs + ": 0 (no client certificate), 1 (optional) or 2 (required)");
        }
    }

    /** A server certificate and key with Gunicorn's defaults for the rest. */
    public static TlsOptions of(Path certfile, Path keyfile) {
        return new TlsOptions(certfile, keyfile, null, CERT_NONE, null, null, true, false);
    }

    public TlsOptions withClientCertificates(int certReqs, Path caCerts) {
        return new TlsOptions(certfile, keyfile, caCerts, certReqs, ciphers, sslVersion, suppressRaggedEofs, doHandshakeOnConnect);
    }

    public TlsOptions withCiphers(String ciphers) {
        return new TlsOptions(certfile, keyfile, caCerts, certReqs, ciphers, sslVersion, suppressRaggedEofs, doHandshakeOnConnect);
    }

    public TlsOptions withSslVersion(String sslVersion) {
        return new TlsOptions(certfile, keyfile, caCerts, certReqs, ciphers, sslVersion, suppressRaggedEofs, doHandshakeOnConnect);
    }

    public TlsOptions withSuppressRaggedEofs(boolean suppress) {
        return new TlsOptions(certfile, keyfile, caCerts, certReqs, ciphers, sslVersion, suppress, doHandshakeOnConnect);
    }
}
