package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.IntOrString;

/** maxUnavailable / maxSurge: an absolute number, or a percentage of a total rounded up. */
final class IntOrPercent {
    private IntOrPercent() {}

    static int scaled(IntOrString value, int total, int fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String s = value.getStrVal();
        if (s == null || s.isEmpty()) {
            return fallback;
        }
        if (!s.endsWith("%")) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " must be an integer or a percentage, got '" + s + "'");
            }
        }
        int percent;
        try {
            percent = Integer.parseInt(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be an integer or a percentage, got '" + s + "'");
        }
        return (int) Math.ceil(percent * (double) total / 100.0);
    }
}
