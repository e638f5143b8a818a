package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;

/** Fields such as {@code maxSurge} that take a count or a percentage ({@code 25%}). */
final class IntOrPercent {
    private IntOrPercent() {}

    /**
     * Checks a non-negative count or a well-formed percentage and returns its number (the count, or the
     * percentage without '%'); null when absent or malformed.
     */
    static Integer validate(JsonNode holder, String field, FieldPath parentPath, boolean capAt100,
                            ErrorCollector errs) {
        JsonNode v = errs.intOrString(holder, field, parentPath);
        if (v == null) {
            return null;
        }
        FieldPath p = parentPath.child(field);
        if (v.isTextual()) {
            String s = v.textValue();
            if (!Formats.isPercent(s)) {
                errs.invalid(p, v, "a valid percent string must be a numeric string followed by an ending '%' "
                        + "(e.g. '1%' or '93%'; regex used for validation is '[0-9]+%')");
                return null;
            }
            int percent;
            try {
                percent = Integer.parseInt(s.substring(0, s.length() - 1));
            } catch (NumberFormatException e) {
                errs.invalid(p, v, "must not be greater than 100%");
                return null;
            }
            if (capAt100 && percent > 100) {
                errs.invalid(p, v, "must not be greater than 100%");
            }
            return percent;
        }
        if (v.asInt() < 0) {
            errs.invalid(p, v, "must be greater than or equal to 0");
            return null;
        }
        return v.asInt();
    }
}
