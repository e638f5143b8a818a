package io.kedge.kubelet.join;

import io.kedge.pki.CaCertHash;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Learns the cluster CA from the server itself, trusting it only by its pinned hash: the TLS
 * handshake's chain must hold a certificate with that hash, and the server's own certificate must
 * be signed by it. Nothing else is sent on that first connection.
 */
final class PinnedCa {
    private static final int TIMEOUT_MILLIS = 10_000;

    private PinnedCa() {}

    static X509Certificate fetch(URI server, CaCertHash pin) throws IOException {
        Certificate[] chain;
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new RecordingTrust()}, null);
            int port = server.getPort() > 0 ? server.getPort() : 443;
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
                socket.connect(new java.net.InetSocketAddress(server.getHost(), port), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.startHandshake();
                chain = socket.getSession().getPeerCertificates();
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS to " + server + ": " + e.getMessage(), e);
        }
        X509Certificate leaf = (X509Certificate) chain[0];
        StringBuilder seen = new StringBuilder();
        for (Certificate c : chain) {
            X509Certificate candidate = (X509Certificate) c;
            if (pin.matches(candidate)) {
                try {
                    leaf.verify(candidate.getPublicKey());
                } catch (GeneralSecurityException e) {
                    throw new IOException("the server " + server + " presents the pinned CA, but its own certificate is not"
                            + " signed by it; refusing to join");
                }
                return candidate;
            }
            seen.append(seen.length() == 0 ? "" : ", ").append(CaCertHash.of(candidate));
        }
        throw new IOException("the server " + server + " presents no CA with --ca-cert-hash " + pin + " (it presents " + seen
                + "); check the hash that `kedge token create` printed, or that this is the right server");
    }

    /** Accepts the handshake so that the chain can be inspected; the pin decides trust afterwards. */
    private static final class RecordingTrust implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a joining node is a TLS client only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // trust is decided by the pin once the chain is known
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
