package io.kedge.apiserver.auth;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Client certificates are checked against the cluster CA by the authenticator, not by the TLS
 * handshake. A certificate from another CA, or an expired one, then gets the same plain 401 as a
 * wrong token (as upstream answers), where a handshake refusal would give the client only
 * "tls: unknown certificate". The handshake still names the CA, so clients pick the right
 * certificate, and the JDK's own PKIX validation does the checking.
 */
public final class ClientCertificates {
    private final X509Certificate ca;
    private final X509TrustManager pkix;

    private ClientCertificates(X509Certificate ca, X509TrustManager pkix) {
        this.ca = ca;
        this.pkix = pkix;
    }

    public static ClientCertificates trusting(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509TrustManager x509) {
                    return new ClientCertificates(ca, x509);
                }
            }
            throw new IllegalStateException("the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up client certificate checks: " + e.getMessage(), e);
        }
    }

    /** Why the chain is not a valid client certificate of the cluster CA; empty when it is. */
    public Optional<String> problem(X509Certificate[] chain) {
        try {
            pkix.checkClientTrusted(chain, "UNKNOWN");
            return Optional.empty();
        } catch (CertificateException | IllegalArgumentException e) {
            return Optional.of("client certificate " + (chain.length == 0 ? "" : chain[0].getSubjectX500Principal().getName())
                    + " rejected: " + e.getMessage());
        }
    }

    /** For the TLS layer: any client certificate is let through to the authenticator; the cluster CA is advertised. */
    public TrustManagerFactory handshakeTrust() {
        X509TrustManager letThrough = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // checked per request by problem(), so that a bad certificate is a 401 and not a broken handshake
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("the API server's client-certificate trust checks no servers");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[] {ca};
            }
        };
        return new SimpleTrustManagerFactory() {
            @Override
            protected void engineInit(KeyStore keyStore) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters params) {
            }

            @Override
            protected TrustManager[] engineGetTrustManagers() {
                return new TrustManager[] {letThrough};
            }
        };
    }
}
