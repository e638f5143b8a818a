package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Resource quantities as the integers the scheduler adds up: millicores for cpu, base units otherwise. */
final class Quantities {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private Quantities() {}

    /** Rounds up, as Kubernetes does, so that "1m" of anything never counts as zero. */
    static long milliValue(Quantity q, String what) {
        return exact(q, what).multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValue();
    }

    static long value(Quantity q, String what) {
        return exact(q, what).setScale(0, RoundingMode.CEILING).longValue();
    }

    private static BigDecimal exact(Quantity q, String what) {
        if (q == null || q.getAmount() == null || q.getAmount().isEmpty()) {
            throw new IllegalArgumentException(what + ": empty quantity");
        }
        try {
            return q.getNumericalAmount();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(what + ": invalid quantity \"" + q + "\"", e);
        }
    }
}
