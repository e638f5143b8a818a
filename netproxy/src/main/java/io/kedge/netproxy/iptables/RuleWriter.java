package io.kedge.netproxy.iptables;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes the restore input for a set of forwarded ports. Declaring a chain in a {@code --noflush}
 * restore empties it, so each of kedge's chains is rewritten whole, the rest of the table is left
 * alone, and chains no longer wanted are emptied and deleted in the same transaction.
 */
public final class RuleWriter {
    private RuleWriter() {
    }

    /**
     * @param installed chains a previous restore (or a previous run) left, per table; those not
     *     wanted any more are deleted
     */
    public static RuleSet write(List<ProxiedPort> ports, Set<String> installedNat, Set<String> installedFilter) {
        Set<String> nat = new LinkedHashSet<>(List.of(Chains.SERVICES, Chains.NODEPORTS, Chains.MARK_MASQ, Chains.POSTROUTING));
        List<String> natRules = new ArrayList<>();
        List<String> filterRules = new ArrayList<>();
        natRules.add("-A " + Chains.MARK_MASQ + " -j MARK --or-mark " + Chains.MASQ_MARK);
        natRules.add("-A " + Chains.POSTROUTING + " -m mark ! --mark " + Chains.MASQ_MARK + "/" + Chains.MASQ_MARK + " -j RETURN");
        // cleared so that a packet that comes round again (an encapsulation, say) is not masqueraded twice
        natRules.add("-A " + Chains.POSTROUTING + " -j MARK --xor-mark " + Chains.MASQ_MARK);
        natRules.add("-A " + Chains.POSTROUTING + " -m comment --comment \"kedge service traffic\" -j MASQUERADE --random-fully");
        List<String> nodePortRules = new ArrayList<>();
        for (ProxiedPort p : ports) {
            String match = "-p " + p.protocol() + " --dport ";
            if (p.endpoints().isEmpty()) {
                String reject = " -m comment --comment \"" + p.displayName() + " has no endpoints\""
                        + " -j REJECT --reject-with icmp-port-unreachable";
                filterRules.add("-A " + Chains.SERVICES + " -d " + p.clusterIp() + "/32 " + match + p.port() + reject);
                if (p.nodePort() > 0) {
                    filterRules.add("-A " + Chains.SERVICES + " -m addrtype --dst-type LOCAL " + match + p.nodePort() + reject);
                }
                continue;
            }
            String svc = Chains.service(p);
            nat.add(svc);
            natRules.add("-A " + Chains.SERVICES + " -d " + p.clusterIp() + "/32 " + match + p.port()
                    + " -m comment --comment \"" + p.displayName() + " cluster IP\" -j " + svc);
            if (p.nodePort() > 0) {
                nodePortRules.add("-A " + Chains.NODEPORTS + " " + match + p.nodePort()
                        + " -m comment --comment \"" + p.displayName() + " node port\" -j " + svc);
            }
            natRules.add("-A " + svc + " -j " + Chains.MARK_MASQ);
            writeSpread(p, svc, nat, natRules);
        }
        // node ports last: a cluster IP rule is the more specific match
        natRules.add("-A " + Chains.SERVICES + " -m addrtype --dst-type LOCAL -j " + Chains.NODEPORTS);
        natRules.addAll(nodePortRules);

        Set<String> filter = new LinkedHashSet<>(List.of(Chains.SERVICES));
        StringBuilder out = new StringBuilder(64 * (natRules.size() + nat.size()));
        table(out, "nat", nat, natRules, stale(installedNat, nat));
        table(out, "filter", filter, filterRules, stale(installedFilter, filter));
        return new RuleSet(out.toString(), nat, filter);
    }

    /** The input that empties and deletes the given chains: everything kedge installed. */
    public static String removal(Set<String> installedNat, Set<String> installedFilter) {
        StringBuilder out = new StringBuilder();
        table(out, "nat", Set.of(), List.of(), installedNat);
        table(out, "filter", Set.of(), List.of(), installedFilter);
        return out.toString();
    }

    /**
     * With ClientIP affinity, a client seen recently goes back to the endpoint it had; a new one is
     * spread evenly: the i-th of n endpoints takes 1/(n-i) of what the earlier ones left.
     */
    private static void writeSpread(ProxiedPort p, String svc, Set<String> nat, List<String> rules) {
        List<Endpoint> eps = p.endpoints();
        if (p.affinitySeconds() > 0) {
            for (Endpoint e : eps) {
                String sep = Chains.endpoint(p, e);
                rules.add("-A " + svc + " -m recent --name " + sep + " --rcheck --seconds " + p.affinitySeconds()
                        + " --reap -j " + sep);
            }
        }
        for (int i = 0; i < eps.size(); i++) {
            Endpoint e = eps.get(i);
            String sep = Chains.endpoint(p, e);
            nat.add(sep);
            int left = eps.size() - i;
            rules.add("-A " + svc + (left > 1 ? String.format(Locale.ROOT, " -m statistic --mode random --probability %.10f",
                    1.0 / left) : "") + " -m comment --comment \"" + p.displayName() + " -> " + e + "\" -j " + sep);
            rules.add("-A " + sep + " -p " + p.protocol()
                    + (p.affinitySeconds() > 0 ? " -m recent --name " + sep + " --set" : "")
                    + " -j DNAT --to-destination " + e);
        }
    }

    private static Set<String> stale(Collection<String> installed, Set<String> wanted) {
        Set<String> stale = new LinkedHashSet<>(installed);
        stale.removeAll(wanted);
        return stale;
    }

    private static void table(StringBuilder out, String table, Set<String> chains, List<String> rules, Set<String> stale) {
        out.append('*').append(table).append('\n');
        for (String c : chains) {
            out.append(':').append(c).append(" - [0:0]\n");
        }
        for (String c : stale) {
            out.append(':').append(c).append(" - [0:0]\n");
        }
        for (String r : rules) {
            out.append(r).append('\n');
        }
        for (String c : stale) {
            out.append("-X ").append(c).append('\n');
        }
        out.append("COMMIT\n");
    }
}
