package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kedge.kubelet.node.UnitPeers.Peer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Unit routes in a real kernel table: a throwaway network namespace with a veth pair for the LAN.
 * Needs root; skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnitRoutesNetnsTest {
    private final String netns = "kedge-t-ur-" + UUID.randomUUID().toString().substring(0, 6);
    private final String path = "/var/run/netns/" + netns;
    private UnitRoutes.Commands inNetns;

    @BeforeAll
    void createNamespace() throws Exception {
        assumeTrue("0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim()),
                "needs root to create a network namespace");
        UnitRoutes.Commands.local().run(List.of("ip", "netns", "add", netns));
        inNetns = UnitRoutes.Commands.inNamespace(path);
        inNetns.run(List.of("ip", "link", "add", "lan0", "type", "veth", "peer", "name", "lan0-peer"));
        inNetns.run(List.of("ip", "link", "set", "lan0-peer", "up"));
        inNetns.run(List.of("ip", "addr", "add", "10.99.0.11/24", "dev", "lan0"));
        inNetns.run(List.of("ip", "link", "set", "lan0", "up"));
    }

    @AfterAll
    void deleteNamespace() throws IOException {
        if (inNetns != null) {
            UnitRoutes.Commands.local().run(List.of("ip", "netns", "del", netns));
        }
    }

    private List<String> routes() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : inNetns.run(List.of("ip", "-o", "route", "show", "root", "10.42.0.0/16")).split("\n")) {
            if (!line.isBlank()) {
                out.add(line.trim().replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    @Test
    void peersGetRoutesInTheNamespaceAndLoseThemWhenTheyMoveOrLeaveWhileOtherRoutesStay() throws Exception {
        inNetns.run(List.of("ip", "route", "add", "10.42.8.0/24", "via", "10.99.0.18", "dev", "lan0"));
        AtomicReference<List<Peer>> peers = new AtomicReference<>(List.of(new Peer("east-2", "10.99.0.12", "10.42.2.0/24", 10250),
                new Peer("east-3", "10.99.0.13", "10.42.3.0/24", 10250)));
        UnitRoutes routes = new UnitRoutes(peers::get, "lan0", inNetns);

        routes.sync();
        assertThat(routes()).containsExactlyInAnyOrder("10.42.2.0/24 via 10.99.0.12 dev lan0 proto 75",
                "10.42.3.0/24 via 10.99.0.13 dev lan0 proto 75", "10.42.8.0/24 via 10.99.0.18 dev lan0");

        peers.set(List.of(new Peer("east-2", "10.99.0.22", "10.42.2.0/24", 10250)));
        routes.sync();
        assertThat(routes()).containsExactlyInAnyOrder("10.42.2.0/24 via 10.99.0.22 dev lan0 proto 75",
                "10.42.8.0/24 via 10.99.0.18 dev lan0");
    }
}
