package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import java.util.ArrayList;
import java.util.List;

/** Probe and lifecycle-hook handlers: exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep (hooks). */
final class Handlers {
    static final List<String> PROBE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
    static final List<String> HOOK_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "sleep");

    private Handlers() {}

    static void validateProbe(ObjectNode probe, FieldPath path, boolean successMustBeOne, ErrorCollector errs) {
        validateHandler(probe, path, PROBE_HANDLERS, errs);
        for (String field : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold")) {
            Integer v = errs.int32(probe, field, path);
            if (v != null && v < 0) {
                errs.invalid(path.child(field), v, "must be greater than or equal to 0");
            }
        }
        Long grace = errs.int64(probe, "terminationGracePeriodSeconds", path);
        if (grace != null && grace <= 0) {
            errs.invalid(path.child("terminationGracePeriodSeconds"), grace, "must be greater than 0");
        }
        Integer success = errs.int32(probe, "successThreshold", path);
        if (successMustBeOne && success != null && success != 1) {
            errs.invalid(path.child("successThreshold"), success, "must be 1");
        }
    }

    static void validateHook(ObjectNode hook, FieldPath path, ErrorCollector errs) {
        validateHandler(hook, path, HOOK_HANDLERS, errs);
    }

    private static void validateHandler(ObjectNode holder, FieldPath path, List<String> kinds, ErrorCollector errs) {
        List<String> present = new ArrayList<>();
        for (String kind : kinds) {
            JsonNode n = holder.get(kind);
            if (n != null && !n.isNull()) {
                present.add(kind);
            }
        }
        if (present.isEmpty()) {
            errs.required(path, "must specify a handler type");
            return;
        }
        if (present.size() > 1) {
            errs.forbidden(path.child(present.get(1)), "may not specify more than 1 handler type");
        }
        ObjectNode exec = errs.object(holder, "exec", path);
        if (exec != null && errs.stringList(exec, "command", path.child("exec")).isEmpty()) {
            errs.required(path.child("exec", "command"), "");
        }
        ObjectNode httpGet = errs.object(holder, "httpGet", path);
        if (httpGet != null) {
            FieldPath p = path.child("httpGet");
            validatePortRef(httpGet, p, errs);
            String scheme = errs.string(httpGet, "scheme", p);
            if (scheme != null && !scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
                errs.notSupported(p.child("scheme"), scheme, List.of("HTTP", "HTTPS"));
            }
        }
        ObjectNode tcp = errs.object(holder, "tcpSocket", path);
        if (tcp != null) {
            validatePortRef(tcp, path.child("tcpSocket"), errs);
        }
        ObjectNode grpc = errs.object(holder, "grpc", path);
        if (grpc != null) {
            Integer port = errs.int32(grpc, "port", path.child("grpc"));
            if (port == null || !Formats.isValidPort(port)) {
                errs.invalid(path.child("grpc", "port"), port == null ? 0 : port, Formats.PORT_RANGE_MESSAGE);
            }
        }
        ObjectNode sleep = errs.object(holder, "sleep", path);
        if (sleep != null) {
            Long seconds = errs.int64(sleep, "seconds", path.child("sleep"));
            if (seconds == null || seconds < 0) {
                errs.invalid(path.child("sleep", "seconds"), seconds == null ? 0 : seconds,
                        "must be greater than or equal to 0");
            }
        }
    }

    /** A port given by number or by the name of a container port. */
    static void validatePortRef(ObjectNode holder, FieldPath path, ErrorCollector errs) {
        JsonNode port = errs.intOrString(holder, "port", path);
        FieldPath p = path.child("port");
        if (port == null) {
            if (holder.get("port") == null || holder.get("port").isNull()) {
                errs.required(p, "");
            }
        } else if (port.isTextual()) {
            errs.invalidEach(p, port, Formats.portName(port.textValue()));
        } else if (!Formats.isValidPort(port.asInt())) {
            errs.invalid(p, port, Formats.PORT_RANGE_MESSAGE);
        }
    }
}
