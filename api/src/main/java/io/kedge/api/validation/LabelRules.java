package io.kedge.api.validation;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Checks of label and annotation maps, wherever they appear (metadata, templates, node selectors). */
public final class LabelRules {
    /** Upstream's cap on the summed size of an object's annotation keys and values. */
    public static final long MAX_ANNOTATIONS_BYTES = 256 * 1024;

    private LabelRules() {}

    /** Keys must be qualified names, values label values; errors carry the map's own path. */
    public static void validateLabels(Map<String, String> labels, FieldPath path, ErrorCollector errs) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            errs.invalidEach(path, e.getKey(), Formats.qualifiedName(e.getKey()));
            errs.invalidEach(path, e.getValue(), Formats.labelValue(e.getValue()));
        }
    }

    /** Keys must be qualified names (case-insensitively); the whole map must fit in 256 KiB. */
    public static void validateAnnotations(Map<String, String> annotations, FieldPath path, ErrorCollector errs) {
        long total = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            errs.invalidEach(path, e.getKey(), Formats.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)));
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > MAX_ANNOTATIONS_BYTES) {
            errs.tooLong(path, MAX_ANNOTATIONS_BYTES);
        }
    }
}
