package io.kedge.tunnel;

import java.util.regex.Pattern;

/**
 * A stream target that names a Service port, {@code service/<namespace>/<name>/<port>}: the agent
 * opens one to reach a Service whose endpoints run on cloud nodes, and the server dials one of
 * them. {@code port} is the Service's {@code spec.ports[].port}; only TCP is carried.
 */
public record ServiceTarget(String namespace, String name, int port) {
    static final String PREFIX = "service/";
    /** Namespaces are DNS labels (RFC 1123); Service names are DNS-1035 labels (they start with a letter). */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_LABEL = 63;

    public ServiceTarget {
        if (namespace == null || namespace.length() > MAX_LABEL || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("\"" + namespace + "\" is not a valid namespace: it must be a lower-case"
                    + " DNS label (letters, digits and '-'), at most 63 characters");
        }
        if (name == null || name.length() > MAX_LABEL || !SERVICE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a valid Service name: it must be a lower-case"
                    + " DNS-1035 label (a letter, then letters, digits and '-'), at most 63 characters");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Service port " + port + " is out of range 1..65535");
        }
    }

    /** Whether a target is meant to be a service target (it may still be malformed). */
    public static boolean isServiceTarget(String target) {
        return target != null && target.startsWith(PREFIX);
    }

    /** Parses {@code service/<namespace>/<name>/<port>}; anything else fails with what is wrong with it. */
    public static ServiceTarget parse(String target) {
        if (!isServiceTarget(target)) {
            throw new IllegalArgumentException("\"" + target + "\" is not a service target: it must start with \""
                    + PREFIX + "\"");
        }
        String[] parts = target.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("\"" + target + "\" is not a service target: expected "
                    + PREFIX + "<namespace>/<name>/<port>");
        }
        int port;
        try {
            port = parts[2].matches("[0-9]{1,5}") ? Integer.parseInt(parts[2]) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0) {
            throw new IllegalArgumentException("\"" + target + "\" is not a service target: the port \"" + parts[2]
                    + "\" is not a number (a Service's port, not its name)");
        }
        return new ServiceTarget(parts[0], parts[1], port);
    }

    /** The target as it goes into OPEN. */
    public String target() {
        return PREFIX + namespace + "/" + name + "/" + port;
    }

    @Override
    public String toString() {
        return target();
    }
}
