package io.jcorn.worker.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's one key and certificate chain, for the JDK's TLS. A key store and the JDK's key
 * manager would encrypt the key under a password only to decrypt it again (a PKCS#12 store runs
 * PBKDF2 for each): work at every worker's boot for nothing.
 */
final class ServerKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "server";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    ServerKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    /**
     * Whether the key serves a handshake that asks for {@code keyType}: the key's algorithm
     * ("RSA", "EC", "EdDSA"...), before any "_" (TLS 1.2's "EC_RSA" names the signer too); an RSA
     * key also makes RSASSA-PSS signatures.
     */
    private boolean serves(String keyType) {
        if (keyType == null) return false;
        int underscore = keyType.indexOf('_');
        String type = underscore < 0 ? keyType : keyType.substring(0, underscore);
        String algorithm = key.getAlgorithm();
        return type.equals(algorithm) || (algorithm.equals("RSA") && type.equals("RSASSA-PSS"));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return serves(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return serves(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return serves(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
