package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPrintersTest {
    private static List<Object> row(String resource, String yaml) {
        return TablePrinters.forResource("networking.k8s.io", resource).cells(yaml(yaml), NOW);
    }

    @Test
    void printsAnIngress() {
        assertThat(row("ingresses", """
                metadata: {name: shop}
                spec:
                  ingressClassName: nginx
                  tls: [{hosts: [shop.example.com]}]
                  rules: [{host: shop.example.com}, {http: {}}, {host: api.example.com}]
                status: {loadBalancer: {ingress: [{ip: 203.0.113.10}, {hostname: lb.example.com}]}}
                """)).containsExactly("shop", "nginx", "shop.example.com,api.example.com",
                "203.0.113.10,lb.example.com", "80, 443", "<unknown>");
    }

    @Test
    void anIngressWithManyHostsShowsThreeAndWithoutHostsAStar() {
        assertThat(row("ingresses", "{spec: {rules: [{host: a}, {host: b}, {host: c}, {host: d}, {host: e}]}}").get(2))
                .isEqualTo("a,b,c + 2 more...");
        assertThat(row("ingresses", "{spec: {rules: [{http: {}}]}}").subList(1, 5)).containsExactly("<none>", "*", "", "80");
    }

    @Test
    void printsAnIngressClassWithItsParameters() {
        assertThat(row("ingressclasses", """
                metadata: {name: nginx}
                spec:
                  controller: k8s.io/ingress-nginx
                  parameters: {apiGroup: k8s.example.com, kind: IngressParameters, name: external-lb}
                """)).containsExactly("nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb",
                "<unknown>");
        assertThat(row("ingressclasses", "{spec: {controller: c}}").get(2)).isEqualTo("<none>");
    }

    @Test
    void printsANetworkPolicySelector() {
        assertThat(row("networkpolicies", "{metadata: {name: deny}, spec: {podSelector: {}}}"))
                .containsExactly("deny", "<none>", "<unknown>");
        assertThat(row("networkpolicies", "{spec: {podSelector: {matchExpressions: [{key: legacy, operator: DoesNotExist}]}}}")
                .get(1)).isEqualTo("!legacy");
    }
}
