package io.kedge.netproxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleWriterTest {
    private static final Endpoint A = new Endpoint("10.42.1.5", 8080);
    private static final Endpoint B = new Endpoint("10.42.1.6", 8080);
    private static final Endpoint C = new Endpoint("10.42.2.7", 8080);

    private static ProxiedPort web(int nodePort, int affinity, List<Endpoint> eps) {
        return new ProxiedPort("default", "web", "http", "TCP", "10.43.0.20", 80, nodePort, affinity, eps);
    }

    /** A whole-table write, as the first sync makes it. */
    private record Written(String restoreInput, Set<String> natChains, Set<String> filterChains) {
    }

    private static Written write(List<ProxiedPort> ports, Set<String> installedNat, Set<String> installedFilter) {
        RuleSet rules = RuleWriter.rules(ports);
        return new Written(RuleWriter.restoreInput(rules, null, installedNat, installedFilter), rules.natChains(),
                rules.filterChains());
    }

    private static List<String> lines(Written r) {
        return Arrays.asList(r.restoreInput().split("\n"));
    }

    @Test
    void clusterIpJumpsToTheServiceChainWhichSpreadsEvenlyOverItsEndpoints() {
        ProxiedPort p = web(0, 0, List.of(A, B, C));
        Written r = write(List.of(p), Set.of(), Set.of());
        String svc = Chains.service(p);
        assertThat(lines(r)).contains(
                "-A KEDGE-SERVICES -d 10.43.0.20/32 -p tcp --dport 80 -m comment --comment \"default/web:http cluster IP\" -j " + svc,
                "-A " + svc + " -j KEDGE-MARK-MASQ",
                "-A " + svc + " -m statistic --mode random --probability 0.3333333333 -m comment --comment \"default/web:http -> 10.42.1.5:8080\" -j "
                        + Chains.endpoint(p, A),
                "-A " + svc + " -m statistic --mode random --probability 0.5000000000 -m comment --comment \"default/web:http -> 10.42.1.6:8080\" -j "
                        + Chains.endpoint(p, B),
                "-A " + svc + " -m comment --comment \"default/web:http -> 10.42.2.7:8080\" -j " + Chains.endpoint(p, C),
                "-A " + Chains.endpoint(p, A) + " -p tcp -j DNAT --to-destination 10.42.1.5:8080");
        assertThat(r.natChains()).contains(svc, Chains.endpoint(p, A), Chains.endpoint(p, B), Chains.endpoint(p, C));
        assertThat(r.restoreInput()).doesNotContain("NODEPORTS -p").doesNotContain("REJECT");
    }

    @Test
    void everyChainIsDeclaredSoThatTheRestoreRewritesItWholeAndEachTableIsCommitted() {
        ProxiedPort p = web(0, 0, List.of(A));
        Written r = write(List.of(p), Set.of(), Set.of());
        assertThat(lines(r)).startsWith("*nat", ":KEDGE-SERVICES - [0:0]", ":KEDGE-NODEPORTS - [0:0]",
                ":KEDGE-MARK-MASQ - [0:0]", ":KEDGE-POSTROUTING - [0:0]");
        assertThat(lines(r)).contains(":" + Chains.service(p) + " - [0:0]", ":" + Chains.endpoint(p, A) + " - [0:0]",
                "*filter", "COMMIT");
        assertThat(lines(r).stream().filter("COMMIT"::equals)).hasSize(2);
        assertThat(lines(r).stream().filter(l -> l.startsWith("-A ") || l.startsWith(":"))).allMatch(l -> l.contains("KEDGE-"));
    }

    @Test
    void serviceTrafficIsMarkedAndMasqueradedOnTheWayOut() {
        Written r = write(List.of(web(0, 0, List.of(A))), Set.of(), Set.of());
        assertThat(lines(r)).containsSubsequence(
                "-A KEDGE-MARK-MASQ -j MARK --or-mark 0x40000",
                "-A KEDGE-POSTROUTING -m mark ! --mark 0x40000/0x40000 -j RETURN",
                "-A KEDGE-POSTROUTING -j MARK --xor-mark 0x40000",
                "-A KEDGE-POSTROUTING -m comment --comment \"kedge service traffic\" -j MASQUERADE --random-fully");
    }

    @Test
    void nodePortIsMatchedOnLocalAddressesAfterTheClusterIps() {
        ProxiedPort p = web(30080, 0, List.of(A));
        Written r = write(List.of(p), Set.of(), Set.of());
        assertThat(lines(r)).containsSubsequence(
                "-A KEDGE-SERVICES -d 10.43.0.20/32 -p tcp --dport 80 -m comment --comment \"default/web:http cluster IP\" -j "
                        + Chains.service(p),
                "-A KEDGE-SERVICES -m addrtype --dst-type LOCAL -j KEDGE-NODEPORTS",
                "-A KEDGE-NODEPORTS -p tcp --dport 30080 -m comment --comment \"default/web:http node port\" -j "
                        + Chains.service(p));
    }

    @Test
    void clientIpAffinitySendsAKnownClientBackToItsEndpointForTheTimeout() {
        ProxiedPort p = web(0, 600, List.of(A, B));
        Written r = write(List.of(p), Set.of(), Set.of());
        String svc = Chains.service(p);
        String sepA = Chains.endpoint(p, A);
        String sepB = Chains.endpoint(p, B);
        assertThat(lines(r)).containsSubsequence(
                "-A " + svc + " -j KEDGE-MARK-MASQ",
                "-A " + svc + " -m recent --name " + sepA + " --rcheck --seconds 600 --reap -j " + sepA,
                "-A " + svc + " -m recent --name " + sepB + " --rcheck --seconds 600 --reap -j " + sepB,
                "-A " + svc + " -m statistic --mode random --probability 0.5000000000 -m comment --comment \"default/web:http -> 10.42.1.5:8080\" -j " + sepA);
        assertThat(lines(r)).contains("-A " + sepA + " -p tcp -m recent --name " + sepA + " --set -j DNAT --to-destination 10.42.1.5:8080");
    }

    @Test
    void eachPortOfAMultiPortServiceHasItsOwnChainAndProtocol() {
        ProxiedPort http = web(0, 0, List.of(A));
        ProxiedPort dns = new ProxiedPort("default", "web", "dns", "UDP", "10.43.0.20", 53, 0, 0, List.of(new Endpoint("10.42.1.5", 5353)));
        Written r = write(List.of(dns, http), Set.of(), Set.of());
        assertThat(Chains.service(http)).isNotEqualTo(Chains.service(dns));
        assertThat(lines(r)).contains(
                "-A KEDGE-SERVICES -d 10.43.0.20/32 -p udp --dport 53 -m comment --comment \"default/web:dns cluster IP\" -j "
                        + Chains.service(dns),
                "-A " + Chains.endpoint(dns, dns.endpoints().get(0)) + " -p udp -j DNAT --to-destination 10.42.1.5:5353",
                "-A " + Chains.endpoint(http, A) + " -p tcp -j DNAT --to-destination 10.42.1.5:8080");
    }

    @Test
    void aServiceWithoutEndpointsIsRejectedInTheFilterTableAndHasNoNatRules() {
        ProxiedPort p = web(30080, 0, List.of());
        Written r = write(List.of(p), Set.of(), Set.of());
        String filter = r.restoreInput().substring(r.restoreInput().indexOf("*filter"));
        assertThat(filter.split("\n")).contains(
                "-A KEDGE-SERVICES -d 10.43.0.20/32 -p tcp --dport 80 -m comment --comment \"default/web:http has no endpoints\""
                        + " -j REJECT --reject-with icmp-port-unreachable",
                "-A KEDGE-SERVICES -m addrtype --dst-type LOCAL -p tcp --dport 30080 -m comment --comment"
                        + " \"default/web:http has no endpoints\" -j REJECT --reject-with icmp-port-unreachable");
        assertThat(r.natChains()).doesNotContain(Chains.service(p));
        assertThat(r.restoreInput()).doesNotContain("--dport 30080 -m comment --comment \"default/web:http node port\"");
    }

    @Test
    void chainsNoLongerWantedAreEmptiedThenDeletedInTheSameRestore() {
        ProxiedPort p = web(0, 0, List.of(A, B));
        Written before = write(List.of(p), Set.of(), Set.of());
        Written after = write(List.of(web(0, 0, List.of(A))), before.natChains(), before.filterChains());
        String sepB = Chains.endpoint(p, B);
        assertThat(lines(after)).containsSubsequence(":" + sepB + " - [0:0]", "-X " + sepB, "COMMIT");
        assertThat(after.natChains()).doesNotContain(sepB);
        assertThat(after.restoreInput()).doesNotContain("10.42.1.6");
    }

    @Test
    void equalInputsGiveIdenticalRestoreInput() {
        List<ProxiedPort> ports = List.of(web(30080, 60, List.of(A, B)));
        assertThat(write(ports, Set.of(), Set.of()).restoreInput())
                .isEqualTo(write(List.copyOf(ports), Set.of(), Set.of()).restoreInput());
    }

    @Test
    void afterTheFirstSyncOnlyTheChainsThatChangedAreWritten() {
        ProxiedPort before = web(0, 0, List.of(A, B));
        ProxiedPort after = web(0, 0, List.of(A, C));
        ProxiedPort other = new ProxiedPort("default", "db", "", "TCP", "10.43.0.21", 5432, 0, 0, List.of(new Endpoint("10.42.3.3", 5432)));
        RuleSet applied = RuleWriter.rules(List.of(other, before));
        String in = RuleWriter.restoreInput(RuleWriter.rules(List.of(other, after)), applied, applied.natChains(), applied.filterChains());
        assertThat(in.split("\n")).containsExactly("*nat",
                ":" + Chains.service(after) + " - [0:0]",
                ":" + Chains.endpoint(after, C) + " - [0:0]",
                ":" + Chains.endpoint(before, B) + " - [0:0]",
                "-A " + Chains.service(after) + " -j KEDGE-MARK-MASQ",
                "-A " + Chains.service(after) + " -m statistic --mode random --probability 0.5000000000 -m comment --comment"
                        + " \"default/web:http -> 10.42.1.5:8080\" -j " + Chains.endpoint(after, A),
                "-A " + Chains.service(after) + " -m comment --comment \"default/web:http -> 10.42.2.7:8080\" -j "
                        + Chains.endpoint(after, C),
                "-A " + Chains.endpoint(after, C) + " -p tcp -j DNAT --to-destination 10.42.2.7:8080",
                "-X " + Chains.endpoint(before, B),
                "COMMIT", "*filter", "COMMIT");
    }

    @Test
    void removalDeletesEveryGivenChain() {
        String in = RuleWriter.removal(Set.of("KEDGE-SERVICES", "KEDGE-SVC-1"), Set.of("KEDGE-SERVICES"));
        assertThat(in.split("\n")).containsSubsequence("*nat", ":KEDGE-SVC-1 - [0:0]", "-X KEDGE-SVC-1", "COMMIT",
                "*filter", ":KEDGE-SERVICES - [0:0]", "-X KEDGE-SERVICES", "COMMIT");
        assertThat(in.substring(0, in.indexOf("*filter"))).contains("-X KEDGE-SERVICES");
    }
}
