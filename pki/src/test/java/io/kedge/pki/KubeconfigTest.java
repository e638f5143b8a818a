package io.kedge.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
    private final CertificateAuthority ca = CertificateAuthority.create("test-ca");

    @TempDir
    Path dir;

    @Test
    void clientCertificateKubeconfigRoundTripsAndItsCertVerifiesAgainstTheCaData() throws Exception {
        IssuedCertificate admin = ca.issueClient("kedge-admin", List.of("system:masters"), Duration.ofDays(1));
        Path file = dir.resolve("admin.kubeconfig");
        Kubeconfig.withClientCertificate(Kubeconfig.serverUrl("127.0.0.1", 6443), ca.certificate(), admin).write(file);

        Kubeconfig read = Kubeconfig.read(file);

        assertThat(read.server()).isEqualTo("https://127.0.0.1:6443");
        assertThat(read.name()).isEqualTo("kedge");
        assertThat(read.certificateAuthority()).contains(ca.certificate());
        IssuedCertificate client = read.clientCertificate().orElseThrow();
        assertThat(client.certificate()).isEqualTo(admin.certificate());
        assertThat(((java.security.interfaces.ECPrivateKey) client.key()).getS())
                .as("the same private key, whatever its encoding").isEqualTo(((java.security.interfaces.ECPrivateKey) admin.key()).getS());
        client.certificate().verify(read.certificateAuthority().orElseThrow().getPublicKey());
        assertThat(read.token()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void yamlHasTheStandardKubeconfigShape() {
        IssuedCertificate admin = ca.issueClient("kedge-admin", List.of(), Duration.ofDays(1));

        String yaml = Kubeconfig.withClientCertificate("https://10.0.0.1:6443", ca.certificate(), admin).toYaml();

        assertThat(yaml).startsWith("apiVersion: v1\nkind: Config\n")
                .contains("  cluster:\n    server: https://10.0.0.1:6443\n    certificate-authority-data: ")
                .contains("  user:\n    client-certificate-data: ")
                .contains("    client-key-data: ")
                .contains("  context:\n    cluster: kedge\n    user: kedge\n")
                .contains("current-context: kedge\n");
    }

    @Test
    void tokenKubeconfigRoundTripsWithoutClientCertificate() throws Exception {
        Path file = dir.resolve("token.kubeconfig");
        Kubeconfig.withToken("https://[fd00::1]:6443", ca.certificate(), "abc.def").named("edge").write(file);

        Kubeconfig read = Kubeconfig.read(file);

        assertThat(read.token()).contains("abc.def");
        assertThat(read.clientCertificate()).isEmpty();
        assertThat(read.name()).isEqualTo("edge");
        assertThat(read.server()).isEqualTo("https://[fd00::1]:6443");
    }

    @Test
    void serverUrlBracketsIpv6Literals() {
        assertThat(Kubeconfig.serverUrl("fd00::1", 443)).isEqualTo("https://[fd00::1]:443");
        assertThat(Kubeconfig.serverUrl("cloud.example", 6443)).isEqualTo("https://cloud.example:6443");
    }

    @Test
    void fileReferencesResolveRelativeToTheKubeconfig() throws Exception {
        IssuedCertificate user = ca.issueClient("bob", List.of(), Duration.ofDays(1));
        user.writeTo(dir.resolve("pki/bob.crt"), dir.resolve("pki/bob.key"));
        PemFiles.writeCertificate(dir.resolve("pki/ca.crt"), ca.certificate());
        Path file = dir.resolve("config");
        Files.writeString(file, String.join("\n",
                "apiVersion: v1", "kind: Config",
                "clusters: [{name: c, cluster: {server: 'https://h:1', certificate-authority: pki/ca.crt}}]",
                "users: [{name: u, user: {client-certificate: pki/bob.crt, client-key: pki/bob.key}}]",
                "contexts: [{name: x, context: {cluster: c, user: u}}]",
                "current-context: x", ""));

        Kubeconfig read = Kubeconfig.read(file);

        assertThat(read.certificateAuthority()).contains(ca.certificate());
        assertThat(read.clientCertificate().orElseThrow().certificate()).isEqualTo(user.certificate());
    }

    @Test
    void brokenKubeconfigsGiveSpecificMessages() {
        String mismatchedKey = Kubeconfig.withClientCertificate("https://h:1", ca.certificate(),
                        ca.issueClient("a", List.of(), Duration.ofDays(1))).toYaml()
                .replaceAll("client-key-data: \\S+", "client-key-data: "
                        + java.util.Base64.getEncoder().encodeToString(
                                PemFiles.encode(Keys.generateP256().getPrivate()).getBytes()));

        assertThatThrownBy(() -> Kubeconfig.parse(mismatchedKey, "kc"))
                .isInstanceOf(PkiException.class)
                .hasMessage("kc: user 'kedge' client key does not match its client certificate");
        assertThatThrownBy(() -> Kubeconfig.parse("just text", "kc"))
                .isInstanceOf(PkiException.class).hasMessageContaining("not a kubeconfig");
        assertThatThrownBy(() -> Kubeconfig.parse("current-context: nope\ncontexts: []\n", "kc"))
                .isInstanceOf(PkiException.class).hasMessage("kc: no entry named 'nope' in contexts");
        assertThatThrownBy(() -> Kubeconfig.parse(String.join("\n",
                        "clusters: [{name: c, cluster: {server: 'https://h:1', certificate-authority-data: '%%%'}}]",
                        "users: [{name: u, user: {}}]",
                        "contexts: [{name: x, context: {cluster: c, user: u}}]"), "kc"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("kc: cluster 'c' certificate-authority-data is not base64");
    }
}
