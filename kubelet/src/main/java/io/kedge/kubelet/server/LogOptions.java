package io.kedge.kubelet.server;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The query of {@code /containerLogs}, as the API server passes on kubectl's log options. */
public record LogOptions(boolean follow, Integer tailLines, boolean timestamps, Instant since, Long limitBytes,
                         boolean previous) {

    public static LogOptions fromQuery(Map<String, List<String>> query, Instant now) throws KubeletApiException {
        Integer tail = nonNegativeInt(query, "tailLines");
        Long limit = nonNegativeLong(query, "limitBytes");
        if (limit != null && limit == 0) {
            throw KubeletApiException.badRequest("limitBytes must be greater than zero");
        }
        Instant since = null;
        Long sinceSeconds = nonNegativeLong(query, "sinceSeconds");
        String sinceTime = first(query, "sinceTime");
        if (sinceSeconds != null && sinceTime != null) {
            throw KubeletApiException.badRequest("at most one of sinceSeconds or sinceTime may be specified");
        }
        if (sinceSeconds != null) {
            since = now.minusSeconds(sinceSeconds);
        } else if (sinceTime != null) {
            try {
                since = Instant.parse(sinceTime);
            } catch (DateTimeParseException e) {
                throw KubeletApiException.badRequest("sinceTime must be an RFC3339 time, got \"" + sinceTime + "\"");
            }
        }
        return new LogOptions(flag(query, "follow"), tail, flag(query, "timestamps"), since, limit, flag(query, "previous"));
    }

    static boolean flag(Map<String, List<String>> query, String name) {
        String v = first(query, name);
        return v != null && (v.isEmpty() || v.equals("1") || v.equalsIgnoreCase("true"));
    }

    static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Integer nonNegativeInt(Map<String, List<String>> query, String name) throws KubeletApiException {
        Long v = nonNegativeLong(query, name);
        return v == null ? null : (int) Math.min(v, Integer.MAX_VALUE);
    }

    private static Long nonNegativeLong(Map<String, List<String>> query, String name) throws KubeletApiException {
        String v = first(query, name);
        if (v == null) {
            return null;
        }
        try {
            long parsed = Long.parseLong(v);
            if (parsed < 0) {
                throw KubeletApiException.badRequest(name + " must not be negative, got " + v);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw KubeletApiException.badRequest(name + " must be an integer, got \"" + v + "\"");
        }
    }
}
