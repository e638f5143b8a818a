package io.kedge.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Informers;
import io.kedge.controllers.framework.Reconciler;
import io.kedge.pki.PemFiles;
import io.kedge.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes CertificateSigningRequests once they are of no more use, as upstream's CSR cleaner does:
 * a request nobody decided on after 24 hours, a denied or failed one an hour after that, an issued
 * one an hour after its approval or once its certificate expired. Nodes rotating short
 * certificates, or asking again while their Node is not registered, would otherwise pile them up.
 */
public final class CsrCleaner implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(CsrCleaner.class);
    static final Duration PENDING = Duration.ofHours(24);
    static final Duration DECIDED = Duration.ofHours(1);

    private final ControllerContext ctx;
    private final SharedIndexInformer<CertificateSigningRequest> csrs;

    private CsrCleaner(ControllerContext ctx, SharedIndexInformer<CertificateSigningRequest> csrs) {
        this.ctx = ctx;
        this.csrs = csrs;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<CertificateSigningRequest> csrs = Informers.shared(ctx.informers(), CertificateSigningRequest.class);
        Controller controller = new Controller("csr-cleaner", new CsrCleaner(ctx, csrs), 1);
        csrs.addEventHandler(controller.enqueueSelf());
        return controller;
    }

    @Override
    public Duration reconcile(String name) {
        CertificateSigningRequest csr = csrs.getStore().getByKey(name);
        if (csr == null) {
            return null;
        }
        Optional<Removal> removal = removal(csr);
        if (removal.isEmpty()) {
            return null;
        }
        Duration left = Duration.between(ctx.clock().instant(), removal.get().at());
        if (!left.isNegative() && !left.isZero()) {
            return left;
        }
        try {
            ctx.client().certificates().v1().certificateSigningRequests().withName(name).delete();
            LOG.info("deleted CSR {}: {}", name, removal.get().why());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        return null;
    }

    /** When a request is deleted, and why. */
    record Removal(Instant at, String why) {}

    /** When the request is of no more use; empty for one approved but not yet issued, which the signer still owes. */
    static Optional<Removal> removal(CertificateSigningRequest csr) {
        List<CertificateSigningRequestCondition> conditions = csr.getStatus() == null || csr.getStatus().getConditions() == null
                ? List.of() : csr.getStatus().getConditions();
        Optional<Instant> denied = decidedAt(conditions, "Denied");
        if (denied.isPresent()) {
            return Optional.of(new Removal(denied.get().plus(DECIDED), "denied more than 1h ago"));
        }
        Optional<Instant> failed = decidedAt(conditions, "Failed");
        if (failed.isPresent()) {
            return Optional.of(new Removal(failed.get().plus(DECIDED), "failed more than 1h ago"));
        }
        Optional<Instant> approved = decidedAt(conditions, "Approved");
        String issued = csr.getStatus() == null ? null : csr.getStatus().getCertificate();
        if (approved.isPresent()) {
            if (issued == null || issued.isEmpty()) {
                return Optional.empty();
            }
            Removal afterApproval = new Removal(approved.get().plus(DECIDED), "issued more than 1h ago");
            return Optional.of(expiry(issued).filter(e -> e.isBefore(afterApproval.at()))
                    .map(e -> new Removal(e, "its certificate expired")).orElse(afterApproval));
        }
        if (conditions.isEmpty() && csr.getMetadata().getCreationTimestamp() != null) {
            return Optional.of(new Removal(Instant.parse(csr.getMetadata().getCreationTimestamp()).plus(PENDING),
                    "pending for more than 24h"));
        }
        return Optional.empty();
    }

    private static Optional<Instant> decidedAt(List<CertificateSigningRequestCondition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType()) && !"False".equals(c.getStatus())).findFirst()
                .map(c -> c.getLastUpdateTime() != null ? c.getLastUpdateTime() : c.getLastTransitionTime())
                .map(Instant::parse);
    }

    private static Optional<Instant> expiry(String base64Pem) {
        try {
            String pem = new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.UTF_8);
            return Optional.of(PemFiles.parseCertificate(pem, "issued certificate").getNotAfter().toInstant());
        } catch (IllegalArgumentException | PkiException unreadable) {
            return Optional.empty(); // then the hour after approval decides
        }
    }
}
