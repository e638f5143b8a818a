package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** coordination.k8s.io/v1 Lease, which leader election and node heartbeats write constantly. */
final class LeaseRules implements KindRules {
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode lease, ErrorCollector errs) {
        ObjectNode spec = errs.object(lease, "spec", FieldPath.ROOT);
        errs.string(spec, "holderIdentity", SPEC);
        Integer duration = errs.int32(spec, "leaseDurationSeconds", SPEC);
        if (duration != null && duration <= 0) {
            errs.invalid(SPEC.child("leaseDurationSeconds"), duration, "must be greater than 0");
        }
        WorkloadChecks.nonNegative(spec, SPEC, errs, "leaseTransitions");
        for (String field : new String[] {"acquireTime", "renewTime"}) {
            String time = errs.string(spec, field, SPEC);
            if (time != null && !time.isEmpty()) {
                try {
                    OffsetDateTime.parse(time);
                } catch (DateTimeParseException e) {
                    errs.invalid(SPEC.child(field), time, "must be an RFC 3339 timestamp with microseconds");
                }
            }
        }
    }
}
