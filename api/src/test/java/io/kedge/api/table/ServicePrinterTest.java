package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServicePrinterTest {
    private static final TablePrinter PRINTER = TablePrinters.forResource("", "services");

    private static List<Object> row(String yaml) {
        return PRINTER.cells(yaml(yaml), NOW);
    }

    @Test
    void definesTheServiceColumns() {
        assertThat(PRINTER.columns()).extracting(ColumnDefinition::name)
                .containsExactly("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
        assertThat(PRINTER.columns().get(6).priority()).isEqualTo(1);
    }

    @Test
    void printsAClusterIpService() {
        assertThat(row("""
                metadata: {name: web, creationTimestamp: %s}
                spec:
                  type: ClusterIP
                  clusterIP: 10.96.0.10
                  clusterIPs: [10.96.0.10]
                  selector: {tier: front, app: web}
                  ports: [{name: http, port: 80, protocol: TCP}, {name: dns, port: 53, protocol: UDP}]
                """.formatted(ago(Duration.ofDays(12)))))
                .containsExactly("web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP", "12d", "app=web,tier=front");
    }

    @Test
    void writesNodePortsAfterThePort() {
        assertThat(ServicePrinter.ports(yaml("""
                spec:
                  type: NodePort
                  ports: [{port: 80, nodePort: 30080, protocol: TCP}, {port: 443, nodePort: 30443}]
                """))).isEqualTo("80:30080/TCP,443:30443/TCP");
    }

    @Test
    void writesNoneWhenThereAreNoPorts() {
        assertThat(ServicePrinter.ports(yaml("{spec: {}}"))).isEqualTo("<none>");
    }

    @Test
    void showsExternalIpsOfAClusterIpService() {
        assertThat(row("{spec: {type: ClusterIP, externalIPs: [192.0.2.1, 192.0.2.2]}}").get(3))
                .isEqualTo("192.0.2.1,192.0.2.2");
    }

    @Test
    void showsPendingForALoadBalancerWithoutAnAddress() {
        assertThat(row("{spec: {type: LoadBalancer, clusterIPs: [10.96.3.4]}}").subList(2, 4))
                .containsExactly("10.96.3.4", "<pending>");
    }

    @Test
    void showsLoadBalancerAddressesSortedThenExternalIps() {
        assertThat(row("""
                spec: {type: LoadBalancer, externalIPs: [192.0.2.9]}
                status:
                  loadBalancer:
                    ingress: [{hostname: lb.example.com}, {ip: 203.0.113.5}, {ip: 203.0.113.5}]
                """).get(3)).isEqualTo("203.0.113.5,lb.example.com,192.0.2.9");
    }

    @Test
    void showsTheTargetOfAnExternalNameService() {
        assertThat(row("{metadata: {name: db}, spec: {type: ExternalName, externalName: db.example.com}}").subList(1, 5))
                .containsExactly("ExternalName", "<none>", "db.example.com", "<none>");
    }

    @Test
    void showsNoneForAHeadlessServiceClusterIp() {
        assertThat(row("{spec: {clusterIP: None, clusterIPs: [None]}}").subList(1, 3)).containsExactly("ClusterIP", "None");
    }

    @Test
    void showsUnknownExternalIpForAnUnknownType() {
        assertThat(row("{spec: {type: Magic}}").get(3)).isEqualTo("<unknown>");
    }
}
