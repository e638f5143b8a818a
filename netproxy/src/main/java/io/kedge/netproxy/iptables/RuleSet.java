package io.kedge.netproxy.iptables;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** kedge's chains in the nat and filter tables, each with its rules in order, as one sync wants them. */
public record RuleSet(Map<String, List<String>> nat, Map<String, List<String>> filter) {
    public RuleSet {
        nat = Collections.unmodifiableMap(new LinkedHashMap<>(nat));
        filter = Collections.unmodifiableMap(new LinkedHashMap<>(filter));
    }

    public Set<String> natChains() {
        return nat.keySet();
    }

    public Set<String> filterChains() {
        return filter.keySet();
    }
}
