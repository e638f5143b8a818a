package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.kubelet.node.UnitPeers.Peer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Unit routes against a routing table kept by a fake {@code ip}. */
class UnitRoutesTest {
    /** A routing table that answers the three {@code ip} commands UnitRoutes runs, and records them. */
    private static final class FakeIp implements UnitRoutes.Commands {
        final Map<String, String> kedgeRoutes = new LinkedHashMap<>();
        final List<String> changes = new ArrayList<>();
        String refuse;

        @Override
        public String run(List<String> argv) throws IOException {
            String cmd = String.join(" ", argv);
            if (cmd.equals("ip -o route show proto 75")) {
                StringBuilder out = new StringBuilder();
                kedgeRoutes.forEach((dst, via) -> out.append(dst).append(" via ").append(via).append(" dev lan0 \n"));
                return out.toString();
            }
            if (refuse != null && cmd.contains(refuse)) {
                throw new IOException(cmd + " failed (exit 2): Error: Nexthop has invalid gateway.");
            }
            changes.add(cmd);
            if (argv.get(2).equals("replace")) {
                kedgeRoutes.put(argv.get(3), argv.get(5));
            } else if (argv.get(2).equals("del")) {
                kedgeRoutes.remove(argv.get(3));
            }
            return "";
        }
    }

    private final FakeIp ip = new FakeIp();
    private final AtomicReference<List<Peer>> peers = new AtomicReference<>(List.of());
    private final UnitRoutes routes = new UnitRoutes(peers::get, "lan0", ip);

    @Test
    void eachPeerWithAnAddressAndAPodCidrGetsARouteOverTheLan() throws Exception {
        peers.set(List.of(new Peer("east-2", "10.201.1.12", "10.42.2.0/24", 10250),
                new Peer("east-3", null, "10.42.3.0/24", 10250), new Peer("east-4", "10.201.1.14", null, 10250)));
        routes.sync();
        assertThat(ip.changes).containsExactly("ip route replace 10.42.2.0/24 via 10.201.1.12 dev lan0 proto 75");
        ip.changes.clear();
        routes.sync();
        assertThat(ip.changes).as("a route in place is left alone").isEmpty();
    }

    @Test
    void aPeerThatMovedOrLeftHasItsRouteReplacedOrRemovedEvenFromAnEarlierRun() throws Exception {
        ip.kedgeRoutes.put("10.42.2.0/24", "10.201.1.12");
        ip.kedgeRoutes.put("10.42.9.0/24", "10.201.1.19"); // left by an earlier run for a node gone since
        peers.set(List.of(new Peer("east-2", "10.201.1.22", "10.42.2.0/24", 10250)));
        routes.sync();
        assertThat(ip.changes).containsExactly("ip route del 10.42.9.0/24 proto 75",
                "ip route replace 10.42.2.0/24 via 10.201.1.22 dev lan0 proto 75");
        peers.set(List.of());
        routes.sync();
        assertThat(ip.kedgeRoutes).isEmpty();
    }

    @Test
    void aRouteTheKernelRefusesIsTriedAgainAtTheNextSyncWhileTheOthersAreSet() throws Exception {
        peers.set(List.of(new Peer("east-2", "10.201.1.12", "10.42.2.0/24", 10250),
                new Peer("east-3", "192.0.2.3", "10.42.3.0/24", 10250)));
        ip.refuse = "192.0.2.3";
        routes.sync();
        assertThat(ip.kedgeRoutes).containsOnlyKeys("10.42.2.0/24");
        ip.refuse = null;
        routes.sync();
        assertThat(ip.kedgeRoutes).containsEntry("10.42.3.0/24", "192.0.2.3");
    }

    @Test
    void theLanInterfaceIsRequired() {
        assertThatThrownBy(() -> new UnitRoutes(peers::get, " ", ip)).hasMessageContaining("unit LAN's interface");
    }

    @Test
    void theLanInterfaceIsTheOneHoldingTheNodesAddress() {
        assertThat(UnitRoutes.interfaceOf("127.0.0.1")).isEqualTo("lo");
        assertThatThrownBy(() -> UnitRoutes.interfaceOf("192.0.2.250")).hasMessageContaining("no interface of this host has");
    }
}
