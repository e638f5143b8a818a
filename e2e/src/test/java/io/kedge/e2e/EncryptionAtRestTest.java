package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kedge server --encryption-config`: Secrets written through kubectl never reach the store's files in the clear. */
class EncryptionAtRestTest {
    private static final String PASSWORD = "correct-horse-battery-staple";

    @TempDir
    Path dir;

    @Test
    void theRawStoreHoldsNoPlaintextOfASecretAndKubectlStillReadsIt() throws Exception {
        Path config = dir.resolve("encryption.yaml");
        Files.writeString(config, """
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                - resources: [secrets]
                  providers:
                  - aesgcm:
                      keys:
                      - {name: key1, secret: "%s"}
                  - identity: {}
                """.formatted(Base64.getEncoder().encodeToString("an-aes-256-key-of-32-bytes-long!".getBytes(StandardCharsets.US_ASCII))));
        Path data = dir.resolve("server");
        try (ServerProcess server = new ServerProcess(data, List.of("--encryption-config=" + config)).start()) {
            Cli kubectl = new Cli("kubectl-1.35", server.kubeconfig());
            kubectl.run("create", "secret", "generic", "db", "--from-literal=password=" + PASSWORD).ok();
            kubectl.run("create", "configmap", "plain", "--from-literal=note=" + PASSWORD).ok();
            String read = kubectl.run("get", "secret", "db", "-o", "jsonpath={.data.password}").ok().out();
            assertThat(new String(Base64.getDecoder().decode(read), StandardCharsets.UTF_8)).isEqualTo(PASSWORD);

            byte[] needle = PASSWORD.getBytes(StandardCharsets.UTF_8);
            byte[] encoded = Base64.getEncoder().encodeToString(needle).getBytes(StandardCharsets.US_ASCII);
            long hits = 0;
            try (Stream<Path> files = Files.list(data)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("state.db")).toList()) {
                    byte[] bytes = Files.readAllBytes(f);
                    assertThat(indexOf(bytes, encoded)).as("the secret's base64 value in " + f).isNegative();
                    hits += indexOf(bytes, needle) >= 0 ? 1 : 0;
                }
            }
            assertThat(hits).as("the ConfigMap, not encrypted, is in the store in the clear: the scan can see plaintext").isPositive();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
