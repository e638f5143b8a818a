package io.kedge.netproxy.iptables;

/** An iptables command could not run, or refused its input; the message names the command and, where known, the rule. */
public final class IptablesException extends Exception {
    public IptablesException(String message) {
        super(message);
    }

    public IptablesException(String message, Throwable cause) {
        super(message, cause);
    }
}
