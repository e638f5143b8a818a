package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the agent's address set-up inside a throwaway network namespace (root only), twice, as a restarted agent would. */
class DnsInterfaceTest {
    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void theNodeDnsAddressIsOnTheNodeAndSettingItUpAgainChangesNothing() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/nsenter")),
                "needs root to make a network namespace");
        String ns = "kedge-t-dns-" + ProcessHandle.current().pid();
        run("ip", "netns", "add", ns);
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> inNs = List.of("nsenter", "--net=/var/run/netns/" + ns, java, "-cp", System.getProperty("java.class.path"),
                    Probe.class.getName(), "169.254.20.10");
            String first = run(inNs.toArray(String[]::new)).strip();
            String second = run(inNs.toArray(String[]::new)).strip();

            assertThat(first).isIn("kedge-dns", "lo");
            assertThat(second).isEqualTo(first);
            assertThat(run("ip", "-n", ns, "-4", "addr", "show", "dev", first)).contains("169.254.20.10/32").contains("UP");
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    /** The set-up as the agent runs it, in the namespace it is started in. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            System.out.println(DnsInterface.ensure(args[0]));
        }
    }
}
