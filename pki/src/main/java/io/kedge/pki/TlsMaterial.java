package io.kedge.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * JSSE key and trust managers built from kedge's PEM material, for code that does not take PEM objects directly
 * (Netty's {@code SslContextBuilder} takes the {@code PrivateKey} and certificates as they are).
 */
public final class TlsMaterial {
    private TlsMaterial() {
    }

    /** Presents {@code identity} during the handshake. */
    public static KeyManagerFactory keyManagers(IssuedCertificate identity) {
        try {
            // The key store only lives in memory, so its password protects nothing.
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("identity", identity.key(), password, new Certificate[] {identity.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot build a key manager for "
                    + identity.certificate().getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
        }
    }

    /** Trusts exactly the given CA certificates; a server using it advertises them when it asks for a client cert. */
    public static TrustManagerFactory trustManagers(X509Certificate... trusted) {
        if (trusted == null || trusted.length == 0) {
            throw new IllegalArgumentException("at least one trusted CA certificate is needed");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                store.setCertificateEntry("ca-" + i, trusted[i]);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot build a trust manager: " + e.getMessage(), e);
        }
    }

    /** A TLS context that presents {@code identity} (may be null for an anonymous client) and trusts the CAs. */
    public static SSLContext context(IssuedCertificate identity, X509Certificate... trusted) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(identity == null ? null : keyManagers(identity).getKeyManagers(),
                    trustManagers(trusted).getTrustManagers(), Keys.RANDOM);
            return context;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }
}
