package io.kedge.netproxy.iptables;

import java.util.Set;

/**
 * The whole kedge part of the nat and filter tables, as {@code iptables-restore --noflush} input,
 * and the chains it leaves in place.
 */
public record RuleSet(String restoreInput, Set<String> natChains, Set<String> filterChains) {
    public RuleSet {
        natChains = Set.copyOf(natChains);
        filterChains = Set.copyOf(filterChains);
    }
}
