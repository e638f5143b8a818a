package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** networking.k8s.io: ingresses, ingressclasses, networkpolicies. */
final class NetworkPrinters {
    private static final int HOSTS_SHOWN = 3;

    private NetworkPrinters() {}

    static TablePrinter ingresses() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Class", "The IngressClass that implements this ingress."),
                string("Hosts", "Hosts the rules match."),
                string("Address", "Addresses of the load balancer in front of the ingress."),
                string("Ports", "80, and 443 when TLS is configured."),
                Columns.AGE),
                (ing, now) -> new Object[] {
                    Fields.name(ing), Fields.textOr(Fields.NONE, ing, "spec", "ingressClassName"), hosts(ing),
                    addresses(ing), Fields.list(ing, "spec", "tls").isEmpty() ? "80" : "80, 443", Fields.age(ing, now)
                });
    }

    static TablePrinter ingressClasses() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Controller", "The controller that implements this class."),
                string("Parameters", "The resource that configures the controller, as Kind.group/name."),
                Columns.AGE),
                (ic, now) -> new Object[] {
                    Fields.name(ic), Fields.text(ic, "spec", "controller"), parameters(ic), Fields.age(ic, now)
                });
    }

    static TablePrinter networkPolicies() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Pod-Selector", "The pods the policy applies to."),
                Columns.AGE),
                (np, now) -> new Object[] {
                    Fields.name(np), LabelFormat.selectorOrNone(Fields.at(np, "spec", "podSelector")), Fields.age(np, now)
                });
    }

    private static String hosts(JsonNode ing) {
        List<JsonNode> rules = Fields.list(ing, "spec", "rules");
        List<String> hosts = new ArrayList<>();
        for (JsonNode rule : rules) {
            if (hosts.size() == HOSTS_SHOWN) {
                return String.join(",", hosts) + " + " + (rules.size() - HOSTS_SHOWN) + " more...";
            }
            String host = Fields.text(rule, "host");
            if (!host.isEmpty()) {
                hosts.add(host);
            }
        }
        return Fields.joined(hosts, ",", "*");
    }

    private static String addresses(JsonNode ing) {
        TreeSet<String> addresses = new TreeSet<>();
        for (JsonNode lb : Fields.list(ing, "status", "loadBalancer", "ingress")) {
            String ip = Fields.text(lb, "ip");
            String host = Fields.text(lb, "hostname");
            if (!ip.isEmpty()) {
                addresses.add(ip);
            } else if (!host.isEmpty()) {
                addresses.add(host);
            }
        }
        return String.join(",", addresses);
    }

    private static String parameters(JsonNode ic) {
        JsonNode p = Fields.at(ic, "spec", "parameters");
        if (!p.isObject()) {
            return Fields.NONE;
        }
        String kind = Fields.text(p, "kind");
        if (Fields.present(p, "apiGroup")) {
            kind = kind + "." + Fields.text(p, "apiGroup");
        }
        return kind + "/" + Fields.text(p, "name");
    }
}
