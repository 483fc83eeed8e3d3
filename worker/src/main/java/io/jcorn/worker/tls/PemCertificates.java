package io.jcorn.worker.tls;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates of a PEM file: {@code --certfile}'s chain (the server's certificate first, then
 * the intermediates, as OpenSSL's {@code load_cert_chain} reads it) or {@code --ca-certs}' bundle.
 * Other blocks (a key kept in the same file, CRLs in a bundle) are passed over.
 */
final class PemCertificates {
    private static final String CERTIFICATE = "CERTIFICATE", TRUSTED = "TRUSTED CERTIFICATE";

    private PemCertificates() {}

    /**
     * The certificates of {@code file}, in file order.
     *
     * @throws TlsFileException if it has none, or one that cannot be read
     */
    static List<X509Certificate> read(PemFile file) throws TlsFileException {
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (PemFile.Block block : file.blocks()) {
            if (block.label().equals(CERTIFICATE) || block.label().equals(TRUSTED)) {
                certificates.add(certificate(file, factory, block, certificates.size() + 1));
            }
        }
        if (certificates.isEmpty()) throw file.error("no certificate in it (a '-----BEGIN CERTIFICATE-----' block)");
        return certificates;
    }

    private static X509Certificate certificate(PemFile file, CertificateFactory factory, PemFile.Block block, int number)
            throws TlsFileException {
        try {
            // OpenSSL's TRUSTED CERTIFICATE is the certificate followed by its trust settings.
            byte[] der = block.label().equals(TRUSTED) ? Der.encode(Der.parseFirst(block.der())) : block.der();
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | Der.MalformedException e) {
            throw file.error("certificate #" + number + " (line " + block.line() + ") cannot be read: " + e.getMessage());
        }
    }
}
