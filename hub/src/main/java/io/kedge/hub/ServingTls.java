package io.kedge.hub;

import io.kedge.pki.IssuedCertificate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The TLS context of the pods' endpoint, rebuilt when the serving certificate it is given changes,
 * so that a rotated certificate serves every connection opened after the rotation.
 */
final class ServingTls implements Supplier<SslContext> {
    private final Supplier<IssuedCertificate> identity;
    private IssuedCertificate built;
    private SslContext context;

    ServingTls(Supplier<IssuedCertificate> identity) {
        this.identity = identity;
    }

    @Override
    public synchronized SslContext get() {
        IssuedCertificate now = identity.get();
        if (now == null) {
            throw new IllegalStateException("the pods' endpoint has no serving certificate");
        }
        if (!now.equals(built)) {
            try {
                context = SslContextBuilder.forServer(now.key(), now.certificate()).sslProvider(SslProvider.JDK).build();
            } catch (SSLException e) {
                throw new IllegalStateException("the pods' endpoint cannot serve with its certificate: " + e.getMessage(), e);
            }
            built = now;
        }
        return context;
    }
}
