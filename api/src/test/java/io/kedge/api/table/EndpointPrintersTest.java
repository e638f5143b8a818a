package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointPrintersTest {
    private static List<Object> endpoints(String yaml) {
        return TablePrinters.forResource("", "endpoints").cells(yaml(yaml), NOW);
    }

    private static List<Object> slice(String yaml) {
        return TablePrinters.forResource("discovery.k8s.io", "endpointslices").cells(yaml(yaml), NOW);
    }

    @Test
    void showsTheFirstThreeAddressesAndCountsTheRest() {
        assertThat(endpoints("""
                metadata: {name: web}
                subsets:
                  - addresses: [{ip: 10.0.0.1}, {ip: 10.0.0.2}]
                    ports: [{name: http, port: 80}, {name: https, port: 443}]
                """)).containsExactly("web", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...", "<unknown>");
    }

    @Test
    void bracketsIpv6AddressesAndListsPortlessAddressesBare() {
        assertThat(endpoints("""
                subsets:
                  - addresses: [{ip: "fd00::1"}]
                    ports: [{port: 8080}]
                  - addresses: [{ip: 10.0.0.9}]
                """).get(1)).isEqualTo("[fd00::1]:8080,10.0.0.9");
    }

    @Test
    void showsNoneWithoutSubsets() {
        assertThat(endpoints("{metadata: {name: idle}}").get(1)).isEqualTo("<none>");
        assertThat(endpoints("{subsets: [{ports: [{port: 80}]}]}").get(1)).isEqualTo("");
    }

    @Test
    void printsAnEndpointSlice() {
        assertThat(TablePrinters.forResource("discovery.k8s.io", "endpointslices").columns())
                .extracting(ColumnDefinition::name).containsExactly("Name", "AddressType", "Ports", "Endpoints", "Age");
        assertThat(slice("""
                metadata: {name: web-abc12}
                addressType: IPv4
                ports: [{name: http, port: 80}, {name: grpc}, {}, {port: 9090}]
                endpoints:
                  - addresses: [10.0.0.1]
                  - addresses: [10.0.0.2, 10.0.0.3]
                """)).containsExactly("web-abc12", "IPv4", "80,grpc,* + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3", "<unknown>");
    }

    @Test
    void anEmptySliceShowsUnset() {
        assertThat(slice("{addressType: IPv6}").subList(1, 4)).containsExactly("IPv6", "<unset>", "<unset>");
    }
}
