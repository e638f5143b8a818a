package io.kedge.kubelet.server;

import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.RenewableCertificate;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kubelet API's TLS context, built again whenever its serving certificate is replaced. */
final class ServingTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServingTls.class);

    private final X509Certificate clientCa;
    private volatile SslContext context;

    /** @throws IllegalArgumentException when the first certificate cannot serve */
    ServingTls(RenewableCertificate serving, X509Certificate clientCa) {
        this.clientCa = clientCa;
        this.context = build(serving.current());
        serving.onChange(next -> {
            try {
                context = build(next);
            } catch (IllegalArgumentException e) {
                LOG.error("the kubelet API keeps its serving certificate: {}", e.getMessage());
            }
        });
    }

    SslContext context() {
        return context;
    }

    private SslContext build(IssuedCertificate identity) {
        try {
            return SslContextBuilder.forServer(identity.key(), identity.certificate()).trustManager(clientCa)
                    .clientAuth(ClientAuth.OPTIONAL).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("the kubelet serving certificate cannot be used: " + e.getMessage(), e);
        }
    }
}
