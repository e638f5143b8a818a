package io.kedge.netproxy.iptables;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes kedge's chains for a set of forwarded ports, and the restore input that gets the tables
 * there. Declaring a chain in a {@code --noflush} restore empties it, so each chain written is
 * rewritten whole, the rest of the table is left alone, and chains no longer wanted are emptied and
 * deleted in the same transaction.
 */
public final class RuleWriter {
    private RuleWriter() {
    }

    /** The chains and rules for these ports. */
    public static RuleSet rules(List<ProxiedPort> ports) {
        Map<String, List<String>> nat = new LinkedHashMap<>();
        for (String c : List.of(Chains.SERVICES, Chains.NODEPORTS, Chains.MARK_MASQ, Chains.POSTROUTING)) {
            nat.put(c, new ArrayList<>());
        }
        Map<String, List<String>> filter = new LinkedHashMap<>();
        filter.put(Chains.SERVICES, new ArrayList<>());
        nat.get(Chains.MARK_MASQ).add("-A " + Chains.MARK_MASQ + " -j MARK --or-mark " + Chains.MASQ_MARK);
        List<String> post = nat.get(Chains.POSTROUTING);
        post.add("-A " + Chains.POSTROUTING + " -m mark ! --mark " + Chains.MASQ_MARK + "/" + Chains.MASQ_MARK + " -j RETURN");
        // cleared so that a packet that comes round again (an encapsulation, say) is not masqueraded twice
        post.add("-A " + Chains.POSTROUTING + " -j MARK --xor-mark " + Chains.MASQ_MARK);
        post.add("-A " + Chains.POSTROUTING + " -m comment --comment \"kedge service traffic\" -j MASQUERADE --random-fully");
        List<String> services = nat.get(Chains.SERVICES);
        List<String> nodePorts = nat.get(Chains.NODEPORTS);
        List<String> rejects = filter.get(Chains.SERVICES);
        for (ProxiedPort p : ports) {
            String match = "-p " + p.protocol() + " --dport ";
            if (p.endpoints().isEmpty()) {
                String reject = " -m comment --comment \"" + p.displayName() + " has no endpoints\""
                        + " -j REJECT --reject-with icmp-port-unreachable";
                rejects.add("-A " + Chains.SERVICES + " -d " + p.clusterIp() + "/32 " + match + p.port() + reject);
                if (p.nodePort() > 0) {
                    rejects.add("-A " + Chains.SERVICES + " -m addrtype --dst-type LOCAL " + match + p.nodePort() + reject);
                }
                continue;
            }
            String svc = Chains.service(p);
            services.add("-A " + Chains.SERVICES + " -d " + p.clusterIp() + "/32 " + match + p.port()
                    + " -m comment --comment \"" + p.displayName() + " cluster IP\" -j " + svc);
            if (p.nodePort() > 0) {
                nodePorts.add("-A " + Chains.NODEPORTS + " " + match + p.nodePort()
                        + " -m comment --comment \"" + p.displayName() + " node port\" -j " + svc);
            }
            List<String> spread = new ArrayList<>();
            nat.put(svc, spread);
            spread.add("-A " + svc + " -j " + Chains.MARK_MASQ);
            writeSpread(p, svc, nat, spread);
        }
        // node ports last: a cluster IP rule is the more specific match
        services.add("-A " + Chains.SERVICES + " -m addrtype --dst-type LOCAL -j " + Chains.NODEPORTS);
        return new RuleSet(nat, filter);
    }

    /**
     * The restore input from {@code applied} (null: unknown, so every chain is written) to
     * {@code wanted}: the chains whose rules differ, and the deletion of {@code installed} chains no
     * longer wanted. A chain that is new or goes is always referenced from one that changed, so
     * unchanged chains never point at a missing one.
     */
    public static String restoreInput(RuleSet wanted, RuleSet applied, Set<String> installedNat, Set<String> installedFilter) {
        StringBuilder out = new StringBuilder();
        table(out, "nat", changed(wanted.nat(), applied == null ? null : applied.nat()), stale(installedNat, wanted.natChains()));
        table(out, "filter", changed(wanted.filter(), applied == null ? null : applied.filter()),
                stale(installedFilter, wanted.filterChains()));
        return out.toString();
    }

    /** The input that empties and deletes the given chains: everything kedge installed. */
    public static String removal(Set<String> installedNat, Set<String> installedFilter) {
        StringBuilder out = new StringBuilder();
        table(out, "nat", Map.of(), installedNat);
        table(out, "filter", Map.of(), installedFilter);
        return out.toString();
    }

    /**
     * With ClientIP affinity, a client seen recently goes back to the endpoint it had; a new one is
     * spread evenly: the i-th of n endpoints takes 1/(n-i) of what the earlier ones left.
     */
    private static void writeSpread(ProxiedPort p, String svc, Map<String, List<String>> nat, List<String> spread) {
        List<Endpoint> eps = p.endpoints();
        if (p.affinitySeconds() > 0) {
            for (Endpoint e : eps) {
                String sep = Chains.endpoint(p, e);
                spread.add("-A " + svc + " -m recent --name " + sep + " --rcheck --seconds " + p.affinitySeconds()
                        + " --reap -j " + sep);
            }
        }
        for (int i = 0; i < eps.size(); i++) {
            Endpoint e = eps.get(i);
            String sep = Chains.endpoint(p, e);
            int left = eps.size() - i;
            spread.add("-A " + svc + (left > 1 ? String.format(Locale.ROOT, " -m statistic --mode random --probability %.10f",
                    1.0 / left) : "") + " -m comment --comment \"" + p.displayName() + " -> " + e + "\" -j " + sep);
            nat.put(sep, List.of("-A " + sep + " -p " + p.protocol()
                    + (p.affinitySeconds() > 0 ? " -m recent --name " + sep + " --set" : "")
                    + " -j DNAT --to-destination " + e));
        }
    }

    private static Map<String, List<String>> changed(Map<String, List<String>> wanted, Map<String, List<String>> applied) {
        if (applied == null) {
            return wanted;
        }
        Map<String, List<String>> changed = new LinkedHashMap<>();
        wanted.forEach((chain, rules) -> {
            if (!Objects.equals(applied.get(chain), rules)) {
                changed.put(chain, rules);
            }
        });
        return changed;
    }

    private static Set<String> stale(Collection<String> installed, Set<String> wanted) {
        Set<String> stale = new LinkedHashSet<>(installed);
        stale.removeAll(wanted);
        return stale;
    }

    private static void table(StringBuilder out, String table, Map<String, List<String>> chains, Set<String> stale) {
        out.append('*').append(table).append('\n');
        for (String c : chains.keySet()) {
            out.append(':').append(c).append(" - [0:0]\n");
        }
        for (String c : stale) {
            out.append(':').append(c).append(" - [0:0]\n");
        }
        for (List<String> rules : chains.values()) {
            for (String r : rules) {
                out.append(r).append('\n');
            }
        }
        for (String c : stale) {
            out.append("-X ").append(c).append('\n');
        }
        out.append("COMMIT\n");
    }
}
