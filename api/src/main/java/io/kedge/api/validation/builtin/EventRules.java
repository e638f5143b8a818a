package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.Nodes;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Events, in both shapes: core/v1 (loose, for old clients such as kubelets and kubectl) and
 * events.k8s.io/v1 (new style: who reported what, and when).
 */
final class EventRules implements KindRules {
    static final List<String> TYPES = List.of("Normal", "Warning");
    static final int MAX_FIELD = 128;
    static final int MAX_NOTE = 1024;

    /** Field names of the two shapes. */
    private record Shape(String object, String controller, String message) { }

    private static final Shape CORE = new Shape("involvedObject", "reportingComponent", "message");
    private static final Shape EVENTS = new Shape("regarding", "reportingController", "note");

    private final Shape shape;
    private final boolean eventsGroup;

    private EventRules(Shape shape, boolean eventsGroup) {
        this.shape = shape;
        this.eventsGroup = eventsGroup;
    }

    static EventRules core() {
        return new EventRules(CORE, false);
    }

    static EventRules eventsGroup() {
        return new EventRules(EVENTS, true);
    }

    @Override
    public void validate(ObjectNode event, ErrorCollector errs) {
        ObjectNode involved = errs.object(event, shape.object(), FieldPath.ROOT);
        if (involved == null && !eventsGroup) {
            errs.required(FieldPath.ROOT.child(shape.object()), "");
        }
        if (involved != null) {
            validateNamespaceAgreement(event, involved, errs);
        }
        boolean newStyle = eventsGroup || !Nodes.isUnsetOrEmpty(event, "eventTime");
        if (!newStyle) {
            return;
        }
        if (Nodes.isUnsetOrEmpty(event, "eventTime")) {
            errs.required(FieldPath.ROOT.child("eventTime"), "");
        }
        String controller = limited(event, shape.controller(), errs);
        if (controller != null) {
            errs.invalidEach(FieldPath.ROOT.child(shape.controller()), controller, Formats.qualifiedName(controller));
        }
        limited(event, "reportingInstance", errs);
        limited(event, "action", errs);
        limited(event, "reason", errs);
        String type = errs.string(event, "type", FieldPath.ROOT);
        if (type == null || !TYPES.contains(type)) {
            errs.notSupported(FieldPath.ROOT.child("type"), type == null ? "" : type, TYPES);
        }
        String message = errs.string(event, shape.message(), FieldPath.ROOT);
        if (message != null && message.getBytes(StandardCharsets.UTF_8).length > MAX_NOTE) {
            errs.tooLong(FieldPath.ROOT.child(shape.message()), MAX_NOTE);
        }
    }

    /** A required string of at most 128 bytes. */
    private static String limited(ObjectNode event, String field, ErrorCollector errs) {
        String v = errs.requiredString(event, field, FieldPath.ROOT, "");
        if (v != null && v.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD) {
            errs.tooLong(FieldPath.ROOT.child(field), MAX_FIELD);
        }
        return v;
    }

    /**
     * An event lives in its object's namespace; events about cluster-scoped objects live in "default"
     * (or, from old clients, in no namespace).
     */
    private void validateNamespaceAgreement(ObjectNode event, JsonNode involved, ErrorCollector errs) {
        String eventNs = Nodes.textOrEmpty(event.path("metadata"), "namespace");
        String objectNs = Nodes.textOrEmpty(involved, "namespace");
        boolean agree = objectNs.isEmpty() ? eventNs.isEmpty() || eventNs.equals("default")
                || eventsGroup : eventNs.equals(objectNs);
        if (!agree) {
            errs.invalid(FieldPath.ROOT.child(shape.object(), "namespace"), objectNs, "does not match event.namespace");
        }
    }
}
