package io.kedge.apiserver.tunnel;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The certificate the server shows a kubelet, issued from the cluster CA in memory and renewed
 * before it expires; it never touches the disk.
 *
 * <p>Trust in the other direction: the server does not verify the kubelet's serving certificate,
 * which each node signs itself for now. The far end is authenticated by the tunnel instead: a stream
 * reaches only the agent that proved at connect time, with a node certificate from the cluster CA,
 * that it is the node the request is for, and that agent dials only its own loopback kubelet. TLS
 * inside the stream still keeps the kubelet's own check of our client certificate in force. Once
 * kubelet serving certificates come from the cluster CA, this should verify them against the CA
 * and the node's name.
 */
public final class KubeletClientIdentity {
    /** The user a kubelet (or a later kubelet authorizer) sees. No groups: it needs no API rights. */
    public static final String USER = "kedge-apiserver-kubelet-client";
    private static final Duration VALIDITY = Duration.ofDays(30);
    private static final Duration RENEW_BEFORE = Duration.ofDays(7);

    private final CertificateAuthority ca;
    private final Clock clock;
    private IssuedCertificate current;
    private SslContext context;

    public KubeletClientIdentity(CertificateAuthority ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    /** A TLS client context presenting a certificate that is valid for a week at least. */
    public synchronized SslContext tls() {
        if (current == null || current.certificate().getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) {
            current = ca.issueClient(USER, List.of(), VALIDITY);
            try {
                context = SslContextBuilder.forClient()
                        .keyManager(current.key(), current.certificate())
                        .trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .endpointIdentificationAlgorithm(null)
                        .build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the kubelet client TLS context: " + e.getMessage(), e);
            }
        }
        return context;
    }
}
