package io.kedge.netproxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import io.kedge.netproxy.dns.DnsProbe.Reply;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node DNS against a real kedge server in this JVM, queried over UDP and TCP on loopback. */
class NodeDnsTest {
    private static final String ZONE = ".default.svc.cluster.local.";

    @TempDir
    static Path dir;

    static KedgeServer server;
    static KubernetesClient client;
    static FakeUpstreamDns upstream;
    static NodeDns dns;
    static DnsProbe probe;
    static String webIp;

    @BeforeAll
    static void start() throws Exception {
        server = new KedgeServer(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, null, "sqlite", List.of(),
                "10.43.0.0/16", null, Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(server.adminKubeconfig()))).build();
        Service web = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withSelector(java.util.Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort()
                .endSpec().build()).create();
        webIp = web.getSpec().getClusterIP();
        client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("db").endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(java.util.Map.of("app", "db"))
                .addNewPort().withName("pg").withPort(5432).endPort().endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("db-abc").addToLabels(ClusterCatalog.SERVICE_NAME_LABEL, "db").endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.42.1.5").withHostname("db-0").withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.42.1.6").withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.42.1.7").withNewConditions().withReady(false).endConditions().endEndpoint()
                .addNewPort().withName("pg").withPort(15432).withProtocol("TCP").endPort()
                .build()).create();
        client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("ext").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("db.example.org").endSpec().build()).create();
        upstream = new FakeUpstreamDns();
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "search corp.example\nnameserver 127.0.0.1\n");
        dns = NodeDns.start(client, new InetSocketAddress("127.0.0.1", 0), resolv, upstream.port());
        assertThat(dns.awaitSynced(Duration.ofSeconds(30))).isTrue();
        probe = new DnsProbe(dns.address());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {probe, dns, upstream, client}) {
            if (c != null) {
                c.close();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aServiceNameResolvesToItsClusterIpOverUdpAndTcp() throws Exception {
        Reply udp = probe.udp("web" + ZONE, DnsRecordType.A);
        Reply tcp = probe.tcp("WEB.default.svc.cluster.local.", DnsRecordType.A);

        assertThat(udp.rcode()).isEqualTo("NoError");
        assertThat(udp.authoritative()).isTrue();
        assertThat(udp.answers()).containsExactly("A " + webIp);
        assertThat(udp.answerTtls()).as("short, so that changes reach clients soon").containsExactly(5L);
        assertThat(tcp.answers()).containsExactly("A " + webIp);
    }

    @Test
    void anIpv4ServiceHasNoAaaaRecordsButTheNameExists() throws Exception {
        Reply r = probe.udp("web" + ZONE, DnsRecordType.AAAA);

        assertThat(r.rcode()).isEqualTo("NoError");
        assertThat(r.answers()).isEmpty();
        assertThat(r.authority()).containsExactly("SOA ns.dns.cluster.local.");
    }

    @Test
    void aHeadlessServiceResolvesToItsReadyEndpoints() throws Exception {
        Reply r = probe.udp("db" + ZONE, DnsRecordType.A);

        assertThat(r.answers()).containsExactlyInAnyOrder("A 10.42.1.5", "A 10.42.1.6");
    }

    @Test
    void anIpv6HeadlessServiceHasAaaaRecordsAndNoA() throws Exception {
        client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("six").endMetadata()
                .withNewSpec().withClusterIP("None").endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("six-abc").addToLabels(ClusterCatalog.SERVICE_NAME_LABEL, "six").endMetadata()
                .withAddressType("IPv6").addNewEndpoint().withAddresses("fd00:42::7").endEndpoint().build()).create();

        await("six resolves", () -> probe.udp("six" + ZONE, DnsRecordType.AAAA).answers().equals(List.of("AAAA fd00:42::7")));
        assertThat(probe.udp("fd00-42--7.six" + ZONE, DnsRecordType.AAAA).answers()).containsExactly("AAAA fd00:42::7");
        Reply a = probe.udp("six" + ZONE, DnsRecordType.A);
        assertThat(a.rcode()).isEqualTo("NoError");
        assertThat(a.answers()).isEmpty();
    }

    @Test
    void headlessEndpointsHaveRecordsByHostnameElseByDashedAddress() throws Exception {
        assertThat(probe.udp("db-0.db" + ZONE, DnsRecordType.A).answers()).containsExactly("A 10.42.1.5");
        assertThat(probe.udp("10-42-1-6.db" + ZONE, DnsRecordType.A).answers()).containsExactly("A 10.42.1.6");
        assertThat(probe.udp("10-42-1-7.db" + ZONE, DnsRecordType.A).rcode()).isEqualTo("NXDomain");
    }

    @Test
    void aNamedPortHasAnSrvRecordPointingAtTheService() throws Exception {
        Reply http = probe.udp("_http._tcp.web" + ZONE, DnsRecordType.SRV);
        Reply udpPort = probe.udp("_dns._udp.web" + ZONE, DnsRecordType.SRV);

        assertThat(http.answers()).containsExactly("SRV 80 web.default.svc.cluster.local.");
        assertThat(http.additional()).containsExactly("A " + webIp);
        assertThat(udpPort.answers()).containsExactly("SRV 53 web.default.svc.cluster.local.");
        assertThat(probe.udp("_dns._tcp.web" + ZONE, DnsRecordType.SRV).rcode()).isEqualTo("NXDomain");
    }

    @Test
    void aHeadlessServicesSrvRecordsNameEachReadyEndpointWithItsPort() throws Exception {
        Reply r = probe.udp("_pg._tcp.db" + ZONE, DnsRecordType.SRV);

        assertThat(r.answers()).containsExactlyInAnyOrder("SRV 15432 db-0.db.default.svc.cluster.local.",
                "SRV 15432 10-42-1-6.db.default.svc.cluster.local.");
        assertThat(r.additional()).containsExactlyInAnyOrder("A 10.42.1.5", "A 10.42.1.6");
    }

    @Test
    void anExternalNameServiceIsACname() throws Exception {
        assertThat(probe.udp("ext" + ZONE, DnsRecordType.A).answers()).containsExactly("CNAME db.example.org.");
    }

    @Test
    void podRecordsAnswerTheAddressInTheirName() throws Exception {
        assertThat(probe.udp("10-42-3-9.default.pod.cluster.local.", DnsRecordType.A).answers()).containsExactly("A 10.42.3.9");
        assertThat(probe.udp("fd00--9.default.pod.cluster.local.", DnsRecordType.AAAA).answers()).containsExactly("AAAA fd00::9");
        assertThat(probe.udp("not-an-ip.default.pod.cluster.local.", DnsRecordType.A).rcode()).isEqualTo("NXDomain");
    }

    @Test
    void unknownNamesInTheZoneAreNxdomainWithTheSoa() throws Exception {
        Reply missing = probe.udp("nope" + ZONE, DnsRecordType.A);
        Reply searched = probe.udp("github.com.default.svc.cluster.local.", DnsRecordType.A);

        assertThat(missing.rcode()).isEqualTo("NXDomain");
        assertThat(missing.authoritative()).isTrue();
        assertThat(missing.authority()).containsExactly("SOA ns.dns.cluster.local.");
        assertThat(searched.rcode()).isEqualTo("NXDomain");
        assertThat(upstream.asked).noneMatch(n -> n.endsWith("cluster.local."));
    }

    @Test
    void aClusterNameWithAHostSearchDomainAppendedIsNxdomainWithoutAskingUpstream() throws Exception {
        Reply searched = probe.udp("web.default.svc.cluster.local.site.example.", DnsRecordType.A);

        assertThat(searched.rcode()).isEqualTo("NXDomain");
        assertThat(upstream.asked).doesNotContain("web.default.svc.cluster.local.site.example.");
    }

    @Test
    void theZoneAndNamespaceNamesExistWithoutRecords() throws Exception {
        assertThat(probe.udp("cluster.local.", DnsRecordType.SOA).answers()).containsExactly("SOA ns.dns.cluster.local.");
        assertThat(probe.udp("default.svc.cluster.local.", DnsRecordType.A).rcode()).isEqualTo("NoError");
        assertThat(probe.udp("no-such-ns.svc.cluster.local.", DnsRecordType.A).rcode()).isEqualTo("NXDomain");
    }

    @Test
    void aServiceIpHasAPtrRecord() throws Exception {
        String[] o = webIp.split("\\.");
        String reverse = o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa.";

        assertThat(probe.udp(reverse, DnsRecordType.PTR).answers()).containsExactly("PTR web.default.svc.cluster.local.");
        assertThat(probe.udp("5.1.42.10.in-addr.arpa.", DnsRecordType.PTR).answers())
                .containsExactly("PTR db-0.db.default.svc.cluster.local.");
    }

    @Test
    void otherNamesAreForwardedToTheUpstreamResolvers() throws Exception {
        Reply udp = probe.udp("www.example.com.", DnsRecordType.A);
        Reply tcp = probe.tcp("mail.example.com.", DnsRecordType.A);

        assertThat(udp.rcode()).isEqualTo("NoError");
        assertThat(udp.answers()).containsExactly("A 192.0.2.1");
        assertThat(tcp.answers()).containsExactly("A 192.0.2.1");
        assertThat(upstream.asked).contains("www.example.com.", "mail.example.com.");
    }

    @Test
    void aTruncatedUpstreamAnswerIsAskedAgainOverTcpForATcpClient() throws Exception {
        Reply udp = probe.udp(FakeUpstreamDns.TRUNCATED_OVER_UDP, DnsRecordType.A);
        Reply tcp = probe.tcp(FakeUpstreamDns.TRUNCATED_OVER_UDP, DnsRecordType.A);

        assertThat(udp.truncated()).isTrue();
        assertThat(tcp.truncated()).isFalse();
        assertThat(tcp.answers()).containsExactly("A 192.0.2.2");
    }

    @Test
    void anUpstreamThatDoesNotAnswerGivesServfail() throws Exception {
        Path resolv = dir.resolve("silent-resolv.conf");
        Files.writeString(resolv, "nameserver 127.0.0.1\n");
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             NodeDns other = NodeDns.start(client, new InetSocketAddress("127.0.0.1", 0), resolv, silent.getLocalPort());
             DnsProbe p = new DnsProbe(other.address())) {
            Reply r = p.udp("www.example.com.", DnsRecordType.A);

            assertThat(r.rcode()).isEqualTo("ServFail");
        }
    }

    @Test
    void withoutResolversOtherNamesGetServfail() throws Exception {
        try (NodeDns other = NodeDns.start(client, new InetSocketAddress("127.0.0.1", 0), dir.resolve("missing.conf"), upstream.port());
             DnsProbe p = new DnsProbe(other.address())) {
            assertThat(p.udp("www.example.com.", DnsRecordType.A).rcode()).isEqualTo("ServFail");
        }
    }

    @Test
    void clusterNamesAreServfailUntilTheApiFirstAnswersWhileOtherNamesAreForwarded() throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(server.adminKubeconfig()));
        try (LateRelay api = new LateRelay(server.port())) {
            config.setMasterUrl("https://127.0.0.1:" + api.port());
            try (KubernetesClient late = new KubernetesClientBuilder().withConfig(config).build();
                 NodeDns other = NodeDns.start(late, new InetSocketAddress("127.0.0.1", 0), dir.resolve("resolv.conf"), upstream.port());
                 DnsProbe p = new DnsProbe(other.address())) {
                assertThat(p.udp("web" + ZONE, DnsRecordType.A).rcode()).isEqualTo("ServFail");
                assertThat(p.udp("www.example.com.", DnsRecordType.A).answers()).containsExactly("A 192.0.2.1");

                api.open();

                await("web resolves once the API answers", () -> p.udp("web" + ZONE, DnsRecordType.A).answers()
                        .equals(List.of("A " + webIp)));
            }
        }
    }

    @Test
    void serviceChangesAreSeen() throws Exception {
        Service late = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("late")
                .endMetadata().withNewSpec().addNewPort().withPort(8080).endPort().endSpec().build()).create();

        await("late resolves", () -> probe.udp("late" + ZONE, DnsRecordType.A).answers()
                .equals(List.of("A " + late.getSpec().getClusterIP())));
        client.services().inNamespace("default").withName("late").delete();
        await("late is gone", () -> probe.udp("late" + ZONE, DnsRecordType.A).rcode().equals("NXDomain"));
    }

    @Test
    void aMalformedPacketGetsFormerrAndTheServerKeepsAnswering() throws Exception {
        // a query header claiming one question, then a label running past the end
        byte[] bad = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 40, 'a', 'b'};

        byte[] reply = probe.raw(bad, 5_000);

        assertThat(reply).isNotNull();
        assertThat(reply[0]).isEqualTo((byte) 0x12);
        assertThat(reply[1]).isEqualTo((byte) 0x34);
        assertThat(reply[3] & 0x0F).as("rcode").isEqualTo(1);
        assertThat(probe.raw(new byte[] {1, 2, 3}, 300)).as("too short to answer").isNull();
        assertThat(probe.udp("web" + ZONE, DnsRecordType.A).answers()).containsExactly("A " + webIp);
    }

    @Test
    void anAnswerTooBigForPlainUdpIsTruncatedThereAndWholeWithEdnsOrTcp() throws Exception {
        client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("many").endMetadata()
                .withNewSpec().withClusterIP("None").endSpec().build()).create();
        EndpointSliceBuilder slice = new EndpointSliceBuilder().withNewMetadata().withName("many-abc")
                .addToLabels(ClusterCatalog.SERVICE_NAME_LABEL, "many").endMetadata().withAddressType("IPv4");
        for (int i = 1; i <= 20; i++) {
            slice.addNewEndpoint().withAddresses("10.42.2." + i).endEndpoint();
        }
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice.build()).create();
        await("all 20 endpoints", () -> probe.tcp("many" + ZONE, DnsRecordType.A).answers().size() == 20);

        Reply plain = probe.udp("many" + ZONE, DnsRecordType.A);
        Reply edns = probe.udp("many" + ZONE, DnsRecordType.A, true);

        assertThat(plain.truncated()).isTrue();
        assertThat(plain.answers()).isEmpty();
        assertThat(edns.truncated()).isFalse();
        assertThat(edns.answers()).hasSize(20);
    }

    private static void await(String what, Callable<Boolean> check) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(end)) {
            if (Boolean.TRUE.equals(check.call())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting until " + what);
    }
}
