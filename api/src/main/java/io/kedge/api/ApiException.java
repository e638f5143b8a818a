package io.kedge.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A failure that reaches the client as a Kubernetes {@code Status}. Every instance carries the
 * HTTP code and the {@code reason} that clients match on.
 */
public final class ApiException extends RuntimeException {
    public record Cause(String reason, String message, String field) {}

    private final int code;
    private final String reason;
    private final String group;
    private final String kind;
    private final String name;
    private final List<Cause> causes;
    private final Integer retryAfterSeconds;

    private ApiException(int code, String reason, String message, String group, String kind, String name,
                         List<Cause> causes, Integer retryAfterSeconds) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.group = group;
        this.kind = kind;
        this.name = name;
        this.causes = causes == null ? List.of() : List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException of(int code, String reason, String message) {
        return new ApiException(code, reason, message, null, null, null, null, null);
    }

    /** {@code resource} is the plural (e.g. "pods") as upstream reports it; group may be empty. */
    public static ApiException notFound(String group, String resource, String name) {
        return new ApiException(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
                group, resource, name, null, null);
    }

    public static ApiException notFound(String message) {
        return of(404, "NotFound", message);
    }

    public static ApiException alreadyExists(String group, String resource, String name) {
        return new ApiException(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
                group, resource, name, null, null);
    }

    public static ApiException conflict(String group, String resource, String name, String why) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource)
                + " \"" + name + "\": " + why, group, resource, name, null, null);
    }

    public static ApiException conflictWithCauses(String group, String kind, String name, String message, List<Cause> causes) {
        return new ApiException(409, "Conflict", message, group, kind, name, causes, null);
    }

    public static ApiException invalid(String group, String kind, String name, List<Cause> causes) {
        StringBuilder msg = new StringBuilder(kind + " \"" + name + "\" is invalid: ");
        if (causes.size() == 1) {
            msg.append(causes.get(0).field()).append(": ").append(causes.get(0).message());
        } else {
            msg.append('[');
            for (int i = 0; i < causes.size(); i++) {
                if (i > 0) msg.append(", ");
                msg.append(causes.get(i).field()).append(": ").append(causes.get(i).message());
            }
            msg.append(']');
        }
        return new ApiException(422, "Invalid", msg.toString(), group, kind, name, causes, null);
    }

    public static ApiException badRequest(String message) {
        return of(400, "BadRequest", message);
    }

    public static ApiException unauthorized(String message) {
        return of(401, "Unauthorized", message);
    }

    public static ApiException forbidden(String message) {
        return of(403, "Forbidden", message);
    }

    /**
     * 403 as upstream words it: {@code pods "x" is forbidden: why}, {@code deployments.apps is forbidden: why}
     * without a name, {@code forbidden: why} without a resource. Empty parts are left out of the details.
     */
    public static ApiException forbidden(String group, String resource, String name, String why) {
        String g = group == null || group.isEmpty() ? null : group;
        String r = resource == null || resource.isEmpty() ? null : resource;
        String n = name == null || name.isEmpty() ? null : name;
        String message = r == null ? "forbidden: " + why
                : qualified(g, r) + (n == null ? "" : " \"" + n + "\"") + " is forbidden: " + why;
        return new ApiException(403, "Forbidden", message, g, r, n, null, null);
    }

    public static ApiException methodNotAllowed(String message) {
        return of(405, "MethodNotAllowed", message);
    }

    public static ApiException notAcceptable(String message) {
        return of(406, "NotAcceptable", message);
    }

    public static ApiException timeout(String message) {
        return of(504, "Timeout", message);
    }

    public static ApiException expired(String message) {
        return of(410, "Expired", message);
    }

    public static ApiException gone(String message) {
        return of(410, "Gone", message);
    }

    public static ApiException tooLarge(String message) {
        return of(413, "RequestEntityTooLarge", message);
    }

    public static ApiException unsupportedMediaType(String message) {
        return of(415, "UnsupportedMediaType", message);
    }

    public static ApiException tooManyRequests(String message, int retryAfterSeconds) {
        return new ApiException(429, "TooManyRequests", message, null, null, null, null, retryAfterSeconds);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "ServiceUnavailable", message, null, null, null, null, 1);
    }

    public static ApiException internal(String message) {
        return of(500, "InternalError", message);
    }

    private static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    public int code() { return code; }
    public String reason() { return reason; }
    public List<Cause> causes() { return causes; }
    public Integer retryAfterSeconds() { return retryAfterSeconds; }

    public ObjectNode toStatus() {
        ObjectNode s = Json.object();
        s.put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", getMessage());
        s.put("reason", reason);
        if (name != null || kind != null || !causes.isEmpty() || retryAfterSeconds != null) {
            ObjectNode d = s.putObject("details");
            if (name != null) d.put("name", name);
            if (group != null) d.put("group", group);
            if (kind != null) d.put("kind", kind);
            if (!causes.isEmpty()) {
                ArrayNode arr = d.putArray("causes");
                for (Cause c : causes) {
                    ObjectNode cn = arr.addObject();
                    cn.put("reason", c.reason());
                    cn.put("message", c.message());
                    if (c.field() != null) cn.put("field", c.field());
                }
            }
            if (retryAfterSeconds != null) d.put("retryAfterSeconds", retryAfterSeconds);
        }
        s.put("code", code);
        return s;
    }
}
