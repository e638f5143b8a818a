package io.kedge.kubelet.certs;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The node's own way to the cloud for its certificates: straight to a cloud server with the
 * certificate it has now, not through the hub, so that a refused certificate is told apart from an
 * unreachable cloud (the hub answers both from its cache). Servers are tried in order.
 */
final class CloudCertificates {
    /** The call a server answers; fabric8's exceptions tell why it could not. */
    interface Call<T> {
        T run(KubernetesClient client) throws IOException, InterruptedException;
    }

    private final Supplier<List<URI>> servers;
    private final X509Certificate clusterCa;

    CloudCertificates(Supplier<List<URI>> servers, X509Certificate clusterCa) {
        this.servers = servers;
        this.clusterCa = clusterCa;
    }

    /**
     * Runs {@code call} against the first server that can be reached.
     *
     * @throws CredentialsRefusedException when a server refuses {@code identity} (401, or a TLS alert about the certificate)
     * @throws IOException when no server can be reached, or one answered with another error
     */
    <T> T call(IssuedCertificate identity, Call<T> call) throws IOException, InterruptedException {
        IOException last = null;
        for (URI server : servers.get()) {
            Config config = new ConfigBuilder(Config.fromKubeconfig(
                    Kubeconfig.withClientCertificate(server.toString(), clusterCa, identity).toYaml()))
                    .withRequestRetryBackoffLimit(0).withConnectionTimeout(10_000).withRequestTimeout(30_000).build();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                return call.run(client);
            } catch (KubernetesClientException e) {
                if (refusal(e)) {
                    throw new CredentialsRefusedException("cloud server " + server + " refuses the node's certificate: "
                            + describe(e), e);
                }
                if (e.getCode() > 0) {
                    throw new IOException("cloud server " + server + " answered HTTP " + e.getCode() + ": " + e.getMessage(), e);
                }
                last = new IOException("cloud server " + server + " cannot be reached: " + describe(e), e);
            }
        }
        throw last != null ? last : new IOException("no cloud server is configured");
    }

    /** 401, or the server's TLS alert about our certificate (with TLS 1.3 it comes only when reading the answer). */
    static boolean refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() == 401) {
                return true;
            }
            if (t instanceof SSLException && t.getMessage() != null && t.getMessage().contains("Received fatal alert")
                    && t.getMessage().contains("certificate")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }
}
