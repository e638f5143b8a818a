package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.Nodes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** What ConfigMaps and Secrets share: data keys, base64 values, the 1 MiB cap and the {@code immutable} flag. */
final class ConfigDataRules {
    static final long MAX_BYTES = 1024 * 1024;
    static final String IMMUTABLE_SET = "field is immutable when `immutable` is set";

    private ConfigDataRules() {}

    static void validateKeys(Map<String, String> data, FieldPath path, ErrorCollector errs) {
        for (String key : data.keySet()) {
            errs.invalidEach(path.key(key), key, Formats.configMapKey(key));
        }
    }

    /** Decodes base64 values, reporting those that are not; returns the decoded size. */
    static long decodedSize(Map<String, String> data, FieldPath path, ErrorCollector errs) {
        long total = 0;
        for (Map.Entry<String, String> e : data.entrySet()) {
            try {
                total += Base64.getMimeDecoder().decode(strictBase64(e.getValue())).length;
            } catch (IllegalArgumentException ex) {
                errs.invalid(path.key(e.getKey()), "<value omitted>", "must be base64-encoded");
            }
        }
        return total;
    }

    /** Go's decoder ignores line breaks but nothing else; Java's MIME decoder would skip any junk. */
    private static String strictBase64(String value) {
        String compact = value.replace("\r", "").replace("\n", "");
        if (!compact.matches("[A-Za-z0-9+/]*={0,2}") || compact.length() % 4 != 0) {
            throw new IllegalArgumentException("not base64");
        }
        return compact;
    }

    static long textSize(Map<String, String> data) {
        return data.values().stream().mapToLong(v -> v.getBytes(StandardCharsets.UTF_8).length).sum();
    }

    static void validateSize(long total, ErrorCollector errs) {
        if (total > MAX_BYTES) {
            errs.tooLong(FieldPath.ROOT.child("data"), MAX_BYTES);
        }
    }

    /** Once {@code immutable: true} is stored, neither the flag nor the data may change. */
    static void validateImmutable(ObjectNode object, ObjectNode old, ErrorCollector errs) {
        if (!old.path("immutable").asBoolean(false)) {
            return;
        }
        if (!object.path("immutable").asBoolean(false)) {
            errs.forbidden(FieldPath.ROOT.child("immutable"), IMMUTABLE_SET);
        }
        for (String field : new String[] {"data", "binaryData"}) {
            JsonNode now = object.get(field);
            if (!Nodes.sameContent(now, old.get(field))) {
                errs.forbidden(FieldPath.ROOT.child(field), IMMUTABLE_SET);
            }
        }
    }
}
