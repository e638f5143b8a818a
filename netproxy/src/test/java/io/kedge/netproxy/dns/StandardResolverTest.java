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
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node DNS as a pod's resolver sees it: Netty's stub resolver with the search domains and
 * ndots:5 that ClusterFirst pods get, so short names go through the search list first.
 */
class StandardResolverTest {
    @TempDir
    static Path dir;

    static KedgeServer server;
    static KubernetesClient client;
    static FakeUpstreamDns upstream;
    static NodeDns dns;
    static EventLoopGroup group;
    static DnsNameResolver resolver;
    static String webIp;

    @BeforeAll
    static void start() throws Exception {
        server = new KedgeServer(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, null, "sqlite", List.of(),
                "10.43.0.0/16", null, Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(server.adminKubeconfig()))).build();
        Service web = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web")
                .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
        webIp = web.getSpec().getClusterIP();
        client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("db").endMetadata()
                .withNewSpec().withClusterIP("None").endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("db-abc").addToLabels(ClusterCatalog.SERVICE_NAME_LABEL, "db").endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.42.1.5").withHostname("db-0").endEndpoint()
                .addNewEndpoint().withAddresses("10.42.1.6").withHostname("db-1").endEndpoint()
                .build()).create();
        upstream = new FakeUpstreamDns();
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 127.0.0.1\n");
        dns = NodeDns.start(client, new InetSocketAddress("127.0.0.1", 0), resolv, upstream.port());
        assertThat(dns.awaitSynced(Duration.ofSeconds(30))).isTrue();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        resolver = new DnsNameResolverBuilder(group.next()).datagramChannelType(NioDatagramChannel.class)
                .socketChannelType(NioSocketChannel.class)
                .nameServerProvider(new SingletonDnsServerAddressStreamProvider(dns.address()))
                .searchDomains(List.of("default.svc.cluster.local", "svc.cluster.local", "cluster.local"))
                .ndots(5).resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY).resolveCache(NoopDnsCache.INSTANCE)
                .queryTimeoutMillis(5_000).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (resolver != null) {
            resolver.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        for (AutoCloseable c : new AutoCloseable[] {dns, upstream, client}) {
            if (c != null) {
                c.close();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aShortServiceNameResolvesThroughTheSearchList() throws Exception {
        InetAddress a = resolver.resolve("web").get(10, TimeUnit.SECONDS);

        assertThat(a.getHostAddress()).isEqualTo(webIp);
    }

    @Test
    void aHeadlessServiceAndItsPodsResolveByTheirNamespacedNames() throws Exception {
        List<InetAddress> all = resolver.resolveAll("db.default").get(10, TimeUnit.SECONDS);
        InetAddress pod = resolver.resolve("db-1.db").get(10, TimeUnit.SECONDS);

        assertThat(all).extracting(InetAddress::getHostAddress).containsExactlyInAnyOrder("10.42.1.5", "10.42.1.6");
        assertThat(pod.getHostAddress()).isEqualTo("10.42.1.6");
    }

    @Test
    void anOutsideNameFallsThroughTheSearchListToTheUpstream() throws Exception {
        InetAddress a = resolver.resolve("www.example.com").get(10, TimeUnit.SECONDS);

        assertThat(a.getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(upstream.asked).contains("www.example.com.");
    }

    @Test
    void anUnknownServiceFailsToResolve() {
        var f = resolver.resolve("nope.default.svc.cluster.local").awaitUninterruptibly();

        assertThat(f.cause()).isInstanceOf(UnknownHostException.class);
    }
}
