package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A container's {@code resources}: known names, well-formed non-negative quantities, requests within limits. */
final class ResourceRules {
    private static final Set<String> NATIVE = Set.of("cpu", "memory", "ephemeral-storage");

    private ResourceRules() {}

    static void validate(ObjectNode resources, FieldPath path, ErrorCollector errs) {
        Map<String, BigDecimal> limits = quantities(resources, "limits", path, errs);
        Map<String, BigDecimal> requests = quantities(resources, "requests", path, errs);
        for (Map.Entry<String, BigDecimal> req : requests.entrySet()) {
            String name = req.getKey();
            BigDecimal limit = limits.get(name);
            FieldPath reqPath = path.child("requests").key(name);
            JsonNode raw = resources.path("requests").get(name);
            if (overcommitAllowed(name)) {
                if (limit != null && req.getValue().compareTo(limit) > 0) {
                    errs.invalid(reqPath, raw, "must be less than or equal to " + name + " limit of "
                            + resources.path("limits").get(name).asText());
                }
            } else if (limit == null) {
                errs.required(path.child("limits").key(name), "Limit must be set for non overcommitable resources");
            } else if (req.getValue().compareTo(limit) != 0) {
                errs.invalid(reqPath, raw, "must be equal to " + name + " limit of "
                        + resources.path("limits").get(name).asText());
            }
        }
    }

    private static Map<String, BigDecimal> quantities(ObjectNode resources, String field, FieldPath path,
                                                      ErrorCollector errs) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        ObjectNode list = errs.object(resources, field, path);
        if (list == null) {
            return out;
        }
        FieldPath listPath = path.child(field);
        list.fields().forEachRemaining(e -> {
            FieldPath p = listPath.key(e.getKey());
            validateName(e.getKey(), p, errs);
            BigDecimal q = Quantities.parse(e.getValue());
            if (q == null) {
                errs.invalid(p, e.getValue(), Quantities.FORMAT_MESSAGE);
            } else if (q.signum() < 0) {
                errs.invalid(p, e.getValue(), "must be greater than or equal to 0");
            } else {
                out.put(e.getKey(), q);
            }
        });
        return out;
    }

    private static void validateName(String name, FieldPath path, ErrorCollector errs) {
        if (name.contains("/")) {
            errs.invalidEach(path, name, Formats.qualifiedName(name));
        } else if (!NATIVE.contains(name) && !name.startsWith("hugepages-")) {
            errs.invalid(path, name, "must be a standard resource for containers");
        }
    }

    /** Native resources except huge pages may be requested below their limit; extended ones may not. */
    private static boolean overcommitAllowed(String name) {
        boolean nativeName = !name.contains("/") || name.startsWith("kubernetes.io/");
        return nativeName && !name.startsWith("hugepages-");
    }
}
