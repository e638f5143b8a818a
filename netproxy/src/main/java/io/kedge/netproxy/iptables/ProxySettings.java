package io.kedge.netproxy.iptables;

import java.time.Duration;
import java.util.List;

/**
 * How the Service proxy runs on a node.
 *
 * @param nodeName the node, for the logs
 * @param commandPrefix put before every iptables command, e.g. {@code [nsenter, --net=/var/run/netns/east-1]}
 *     to program the node's network namespace from outside it; empty to run them as they are
 * @param syncDelay how long changes are gathered before one sync applies them all
 * @param retryInterval how long after a failed sync the next attempt comes
 * @param checkInterval how often the jumps from the built-in chains are checked, and put back if someone removed them
 */
public record ProxySettings(String nodeName, List<String> commandPrefix, Duration syncDelay, Duration retryInterval,
        Duration checkInterval) {

    public ProxySettings {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("the Service proxy needs the node's name");
        }
        commandPrefix = List.copyOf(commandPrefix);
        requirePositive("syncDelay", syncDelay);
        requirePositive("retryInterval", retryInterval);
        requirePositive("checkInterval", checkInterval);
    }

    /** iptables run as they are; changes gathered for 100 ms; a retry after 5 s; the jumps checked every 30 s. */
    public static ProxySettings of(String nodeName) {
        return new ProxySettings(nodeName, List.of(), Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    public ProxySettings withCommandPrefix(List<String> prefix) {
        return new ProxySettings(nodeName, prefix, syncDelay, retryInterval, checkInterval);
    }

    public ProxySettings withSyncDelay(Duration delay) {
        return new ProxySettings(nodeName, commandPrefix, delay, retryInterval, checkInterval);
    }

    public ProxySettings withRetryInterval(Duration interval) {
        return new ProxySettings(nodeName, commandPrefix, syncDelay, interval, checkInterval);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("ProxySettings." + name + " must be positive, was " + d);
        }
    }
}
