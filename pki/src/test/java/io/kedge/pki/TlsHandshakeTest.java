package io.kedge.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes on loopback, with the JDK's TLS stack on both ends, using only PEM-derived material. */
class TlsHandshakeTest {
    private final CertificateAuthority ca = CertificateAuthority.create("test-ca");
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private SSLServerSocket server;
    private Future<String> seenByServer;

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() throws Exception {
        IssuedCertificate serving = ServingCertificates.loadOrIssue(dir, ca, SubjectAltNames.forApiServer(List.of()));
        // Round-trip through PEM so the test covers the same path as a server reading its files.
        IssuedCertificate fromPem = new IssuedCertificate(
                PemFiles.parseCertificate(serving.certPem(), "server.crt"),
                PemFiles.parsePrivateKey(serving.keyPem(), "server.key"));
        SSLContext context = TlsMaterial.context(fromPem, ca.certificate());
        server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        seenByServer = executor.submit(() -> {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.startHandshake();
                String subject = socket.getSession().getPeerPrincipal().getName();
                PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
                out.println(subject);
                return subject;
            }
        });
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
        executor.shutdownNow();
    }

    private SSLSocket connect(SSLContext clientContext) throws IOException {
        SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        SSLParameters parameters = socket.getSSLParameters();
        // Makes the client check the server certificate's SANs against 127.0.0.1, as kubectl does.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }

    @Test
    void serverPresentsServingCertAndSeesTheClientCertificateSubject() throws Exception {
        IssuedCertificate client = ca.issueClient("alice", List.of("devs"), Duration.ofHours(1));
        IssuedCertificate clientFromPem = new IssuedCertificate(
                PemFiles.parseCertificate(client.certPem(), "client.crt"),
                PemFiles.parsePrivateKey(client.keyPem(), "client.key"));

        try (SSLSocket socket = connect(TlsMaterial.context(clientFromPem, ca.certificate()))) {
            socket.startHandshake();
            String echoed = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();

            assertThat(echoed).isEqualTo("CN=alice,O=devs");
            X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=kedge-apiserver");
            assertThat(ca.issued(presented)).isTrue();
        }
        assertThat(seenByServer.get(10, TimeUnit.SECONDS)).isEqualTo("CN=alice,O=devs");
    }

    @Test
    void serverRejectsAClientCertificateFromAnotherCa() throws Exception {
        IssuedCertificate stranger = CertificateAuthority.create("other").issueClient("mallory", List.of(),
                Duration.ofHours(1));

        assertThatThrownBy(() -> {
            try (SSLSocket socket = connect(TlsMaterial.context(stranger, ca.certificate()))) {
                socket.startHandshake();
                socket.getInputStream().read();
            }
        }).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> seenByServer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void clientRejectsAServerWhoseCaItDoesNotTrust() {
        CertificateAuthority other = CertificateAuthority.create("other");
        IssuedCertificate client = ca.issueClient("alice", List.of(), Duration.ofHours(1));

        assertThatThrownBy(() -> {
            try (SSLSocket socket = connect(TlsMaterial.context(client, other.certificate()))) {
                socket.startHandshake();
            }
        }).isInstanceOf(IOException.class);
    }
}
