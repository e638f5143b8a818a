package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR. */
final class ServicePrinter {
    private ServicePrinter() {}

    static TablePrinter create() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Type", "How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName."),
                string("Cluster-IP", "The service's first cluster IP."),
                string("External-IP", "Addresses that reach the service from outside the cluster."),
                string("Port(s)", "Service ports as port[:nodePort]/protocol."),
                Columns.AGE,
                string("Selector", "The labels of the pods that back the service.").wide()),
                (svc, now) -> new Object[] {
                    Fields.name(svc), type(svc), clusterIp(svc), externalIp(svc), ports(svc), Fields.age(svc, now),
                    LabelFormat.labels(Fields.at(svc, "spec", "selector"))
                });
    }

    /** The API defaults an unset type to ClusterIP. */
    private static String type(JsonNode svc) {
        return Fields.textOr("ClusterIP", svc, "spec", "type");
    }

    private static String clusterIp(JsonNode svc) {
        List<JsonNode> ips = Fields.list(svc, "spec", "clusterIPs");
        String ip = ips.isEmpty() ? Fields.text(svc, "spec", "clusterIP") : ips.get(0).asText("");
        return ip.isEmpty() ? Fields.NONE : ip;
    }

    private static String externalIp(JsonNode svc) {
        List<String> external = new ArrayList<>();
        Fields.list(svc, "spec", "externalIPs").forEach(ip -> external.add(ip.asText("")));
        switch (type(svc)) {
            case "ClusterIP", "NodePort":
                return Fields.joined(external, ",", Fields.NONE);
            case "LoadBalancer":
                List<String> all = new ArrayList<>(loadBalancerAddresses(svc));
                all.addAll(external);
                return Fields.joined(all, ",", "<pending>");
            case "ExternalName":
                return Fields.text(svc, "spec", "externalName");
            default:
                return Fields.UNKNOWN;
        }
    }

    private static TreeSet<String> loadBalancerAddresses(JsonNode svc) {
        TreeSet<String> addresses = new TreeSet<>();
        for (JsonNode ingress : Fields.list(svc, "status", "loadBalancer", "ingress")) {
            String ip = Fields.text(ingress, "ip");
            String host = Fields.text(ingress, "hostname");
            if (!ip.isEmpty()) {
                addresses.add(ip);
            } else if (!host.isEmpty()) {
                addresses.add(host);
            }
        }
        return addresses;
    }

    /** {@code 80/TCP,443:30443/TCP}; the API defaults an unset protocol to TCP. */
    static String ports(JsonNode svc) {
        List<String> pieces = new ArrayList<>();
        for (JsonNode p : Fields.list(svc, "spec", "ports")) {
            String protocol = Fields.textOr("TCP", p, "protocol");
            long nodePort = Fields.number(p, "nodePort");
            long port = Fields.number(p, "port");
            pieces.add(nodePort > 0 ? port + ":" + nodePort + "/" + protocol : port + "/" + protocol);
        }
        return Fields.joined(pieces, ",", Fields.NONE);
    }
}
