package io.kedge.netproxy.iptables;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the tables in the state a list of forwarded ports asks for: one restore of all of kedge's
 * chains when the wanted rules changed, and the jumps into them from the built-in chains. Not
 * thread-safe; one sync loop owns it.
 */
public final class RuleSyncer {
    private static final String PORTALS = "kedge service portals";
    /** The jumps from the built-in chains, each installed once, at the top. */
    static final List<Jump> JUMPS = List.of(
            new Jump("nat", "PREROUTING", List.of("-m", "comment", "--comment", PORTALS, "-j", Chains.SERVICES)),
            new Jump("nat", "OUTPUT", List.of("-m", "comment", "--comment", PORTALS, "-j", Chains.SERVICES)),
            new Jump("nat", "POSTROUTING", List.of("-m", "comment", "--comment", "kedge service traffic to masquerade",
                    "-j", Chains.POSTROUTING)),
            rejectJump("INPUT"), rejectJump("FORWARD"), rejectJump("OUTPUT"));

    private final Iptables iptables;
    private Set<String> installedNat;
    private Set<String> installedFilter;
    private RuleSet applied;

    public RuleSyncer(Iptables iptables) {
        this.iptables = iptables;
    }

    /** As {@link #sync(List, boolean)}, with the jumps checked. */
    public boolean sync(List<ProxiedPort> ports) throws IptablesException {
        return sync(ports, true);
    }

    /**
     * Brings the tables to {@code ports} with one restore, when they are not there already: only the
     * chains that changed since the last sync, or all of them the first time, after a failure, and
     * when a jump had gone (someone may have flushed the table). Returns whether a restore ran.
     *
     * @param checkJumps whether to check the jumps from the built-in chains; each check reads the
     *     table, so a sync for a change of endpoints skips them; the first sync and one after a
     *     failure always check
     * @throws IptablesException when a tool is missing or refused the rules; the tables are then as they were
     */
    public boolean sync(List<ProxiedPort> ports, boolean checkJumps) throws IptablesException {
        if (installedNat == null) {
            // chains a previous run left behind are adopted, so that those no longer wanted go
            installedNat = iptables.kedgeChains("nat");
            installedFilter = iptables.kedgeChains("filter");
        }
        List<Jump> missing = checkJumps || applied == null ? missingJumps() : List.of();
        RuleSet wanted = RuleWriter.rules(ports);
        boolean restore = !missing.isEmpty() || !wanted.equals(applied);
        if (restore) {
            String input = RuleWriter.restoreInput(wanted, missing.isEmpty() ? applied : null, installedNat, installedFilter);
            applied = null;
            iptables.restore(input);
            installedNat = wanted.natChains();
            installedFilter = wanted.filterChains();
            applied = wanted;
        }
        for (Jump j : missing) {
            iptables.insert(j.table(), j.chain(), j.rule());
        }
        return restore;
    }

    /** Removes the jumps and every kedge chain, whether this syncer or an earlier run made it. */
    public void removeAll() throws IptablesException {
        for (Jump j : JUMPS) {
            // more than one copy if another run raced us; a bound, as a rule that will not go must not hang the stop
            for (int i = 0; i < 10 && iptables.delete(j.table(), j.chain(), j.rule()); i++) {
                // deleted one
            }
        }
        Set<String> nat = new LinkedHashSet<>(iptables.kedgeChains("nat"));
        Set<String> filter = new LinkedHashSet<>(iptables.kedgeChains("filter"));
        if (installedNat != null) {
            nat.addAll(installedNat);
            filter.addAll(installedFilter);
        }
        if (!nat.isEmpty() || !filter.isEmpty()) {
            iptables.restore(RuleWriter.removal(nat, filter));
        }
        installedNat = Set.of();
        installedFilter = Set.of();
        applied = null;
    }

    private List<Jump> missingJumps() throws IptablesException {
        List<Jump> missing = new java.util.ArrayList<>();
        for (Jump j : JUMPS) {
            if (!iptables.exists(j.table(), j.chain(), j.rule())) {
                missing.add(j);
            }
        }
        return missing;
    }

    private static Jump rejectJump(String chain) {
        return new Jump("filter", chain, List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
                "kedge services without endpoints", "-j", Chains.SERVICES));
    }

    record Jump(String table, String chain, List<String> rule) {
    }
}
