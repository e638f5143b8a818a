package io.kedge.netproxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The syncer against real iptables in a throwaway namespace. Root only. */
class RuleSyncerNamespaceTest {
    private static TestNamespaces ns;
    private static Iptables iptables;
    private final RuleSyncer syncer = new RuleSyncer(iptables);

    private static final ProxiedPort WEB = new ProxiedPort("default", "web", "", "TCP", "10.43.0.20", 80, 0, 0,
            List.of(new Endpoint("10.99.0.2", 8080)));

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(TestNamespaces.available(), "needs root, ip, nsenter and iptables");
        ns = TestNamespaces.create("rs");
        iptables = new Iptables(ns.nodePrefix());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @AfterEach
    void clean() throws Exception {
        syncer.removeAll();
    }

    @Test
    void unchangedRulesAreNotRestoredAgain() throws Exception {
        assertThat(syncer.sync(List.of(WEB))).isTrue();
        assertThat(syncer.sync(List.of(WEB))).isFalse();
        assertThat(syncer.sync(List.of())).isTrue();
    }

    @Test
    void aJumpSomeoneRemovedIsPutBackAndTheChainsRewritten() throws Exception {
        syncer.sync(List.of(WEB));
        TestNamespaces.sh("nsenter", "--net=" + TestNamespaces.path(ns.node), "iptables", "-t", "nat", "-F", "PREROUTING");
        TestNamespaces.sh("nsenter", "--net=" + TestNamespaces.path(ns.node), "iptables", "-t", "nat", "-F", "KEDGE-SERVICES");
        assertThat(syncer.sync(List.of(WEB))).isTrue();
        String nat = iptables.save("nat");
        assertThat(nat).contains("-A PREROUTING -m comment --comment \"kedge service portals\" -j KEDGE-SERVICES")
                .contains("-A KEDGE-SERVICES -d 10.43.0.20/32");
    }

    @Test
    void jumpsAreInstalledOnceAtTheTopAndChainsOfAnEarlierRunAreAdopted() throws Exception {
        TestNamespaces.sh("nsenter", "--net=" + TestNamespaces.path(ns.node), "iptables", "-t", "nat", "-A", "OUTPUT", "-j", "ACCEPT");
        TestNamespaces.sh("nsenter", "--net=" + TestNamespaces.path(ns.node), "iptables", "-t", "nat", "-N", "KEDGE-SVC-OLDRUN");
        try {
            syncer.sync(List.of(WEB));
            syncer.sync(List.of(WEB, new ProxiedPort("default", "db", "", "TCP", "10.43.0.21", 5432, 0, 0, List.of())));
            String nat = iptables.save("nat");
            assertThat(nat).doesNotContain("KEDGE-SVC-OLDRUN");
            assertThat(nat.lines().filter(l -> l.startsWith("-A OUTPUT"))).containsExactly(
                    "-A OUTPUT -m comment --comment \"kedge service portals\" -j KEDGE-SERVICES", "-A OUTPUT -j ACCEPT");
        } finally {
            TestNamespaces.sh("nsenter", "--net=" + TestNamespaces.path(ns.node), "iptables", "-t", "nat", "-F", "OUTPUT");
        }
    }

    @Test
    void removeAllLeavesOtherRulesAlone() throws Exception {
        TestNamespaces.sh("nsenter", "--net=" + TestNamespaces.path(ns.node), "iptables", "-t", "nat", "-A", "POSTROUTING",
                "-s", "10.99.0.0/24", "-j", "MASQUERADE");
        try {
            syncer.sync(List.of(WEB));
            syncer.removeAll();
            String nat = iptables.save("nat");
            assertThat(nat).doesNotContain("KEDGE").contains("-A POSTROUTING -s 10.99.0.0/24 -j MASQUERADE");
        } finally {
            TestNamespaces.sh("nsenter", "--net=" + TestNamespaces.path(ns.node), "iptables", "-t", "nat", "-F", "POSTROUTING");
        }
    }
}
