package io.kedge.api.apply;

import io.kedge.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Field manager names: where they come from when a request names none, and what a valid one looks like. */
public final class FieldManagers {

    /** Upstream's limit, in bytes of UTF-8. */
    public static final int MAX_LENGTH = 128;

    /** The manager credited with the fields an object had before its first server-side apply. */
    public static final String BEFORE_FIRST_APPLY = "before-first-apply";

    /** The manager older Update entries are folded into once there are too many. */
    public static final String ANCIENT_CHANGES = "ancient-changes";

    /** The manager of client-side {@code kubectl apply}. */
    public static final String KUBECTL_CLIENT_SIDE_APPLY = "kubectl-client-side-apply";

    private FieldManagers() {}

    /** The {@code fieldManager} parameter when given, else the product part of the User-Agent. */
    public static String resolve(String fieldManagerParam, String userAgent) {
        if (fieldManagerParam != null && !fieldManagerParam.isEmpty()) {
            return fieldManagerParam;
        }
        return fromUserAgent(userAgent);
    }

    /**
     * What precedes the first "/" of a User-Agent, e.g. {@code kubectl} for {@code kubectl/v1.35.0 (linux/amd64)},
     * without unprintable characters and cut to {@link #MAX_LENGTH} bytes.
     */
    public static String fromUserAgent(String userAgent) {
        if (userAgent == null) return "";
        int slash = userAgent.indexOf('/');
        String product = slash < 0 ? userAgent : userAgent.substring(0, slash);
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < product.length(); ) {
            int cp = product.codePointAt(i);
            i += Character.charCount(cp);
            if (!isPrintable(cp)) continue;
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > MAX_LENGTH) break;
            out.appendCodePoint(cp);
            bytes += len;
        }
        return out.toString();
    }

    /**
     * Checks a {@code fieldManager} parameter as upstream's PatchOptions/UpdateOptions validation does; an apply
     * must name one.
     *
     * @throws ApiException 422 Invalid naming the {@code fieldManager} field
     */
    public static void validate(String fieldManager, boolean apply) {
        String name = fieldManager == null ? "" : fieldManager;
        String reason;
        String message;
        if (name.isEmpty()) {
            if (!apply) return;
            reason = "FieldValueRequired";
            message = "Required value: is required for apply patch";
        } else if (name.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            reason = "FieldValueTooLong";
            message = "Too long: may not be more than " + MAX_LENGTH + " bytes";
        } else if (!name.codePoints().allMatch(FieldManagers::isPrintable)) {
            reason = "FieldValueInvalid";
            message = "Invalid value: " + CanonicalJson.quoted(name) + ": invalid characters";
        } else {
            return;
        }
        String options = apply ? "PatchOptions" : "UpdateOptions";
        throw ApiException.invalid("meta.k8s.io", options + ".meta.k8s.io", "",
                List.of(new ApiException.Cause(reason, message, "fieldManager")));
    }

    private static boolean isPrintable(int cp) {
        if (cp == ' ') return true;
        int type = Character.getType(cp);
        return !Character.isISOControl(cp) && !Character.isWhitespace(cp)
                && type != Character.FORMAT && type != Character.UNASSIGNED && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR;
    }
}
