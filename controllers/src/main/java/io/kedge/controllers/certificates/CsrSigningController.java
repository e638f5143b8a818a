package io.kedge.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Informers;
import io.kedge.controllers.framework.Reconciler;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.PemFiles;
import io.kedge.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs approved CertificateSigningRequests of the built-in client and kubelet signers with the
 * cluster CA: the certificate lands in {@code status.certificate}, valid for the requested
 * {@code expirationSeconds} up to the cluster's signing duration. A request the signer's rules
 * refuse gets a {@code Failed} condition saying why. Requests for other signers are left to them.
 */
public final class CsrSigningController implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(CsrSigningController.class);
    static final String FAILED_REASON = "SignerValidationFailure";

    private final ControllerContext ctx;
    private final SharedIndexInformer<CertificateSigningRequest> csrs;
    private final CertificateAuthority ca;
    private final Duration maxDuration;

    private CsrSigningController(ControllerContext ctx, SharedIndexInformer<CertificateSigningRequest> csrs,
                                 CertificateAuthority ca, Duration maxDuration) {
        this.ctx = ctx;
        this.csrs = csrs;
        this.ca = ca;
        this.maxDuration = maxDuration;
    }

    /** Needs {@code options().clusterSigning()}: without a CA there is nothing to sign with. */
    public static Controller create(ControllerContext ctx) {
        ControllerContext.ClusterSigning signing = ctx.options().clusterSigning();
        if (signing == null) {
            throw new IllegalStateException("CSR signing needs the cluster CA (--cluster-signing-dir)");
        }
        SharedIndexInformer<CertificateSigningRequest> csrs = Informers.shared(ctx.informers(), CertificateSigningRequest.class);
        Controller controller = new Controller("csr-signing",
                new CsrSigningController(ctx, csrs, signing.ca(), signing.maxDuration()), 1);
        csrs.addEventHandler(controller.enqueueSelf());
        return controller;
    }

    @Override
    public Duration reconcile(String name) {
        CertificateSigningRequest csr = csrs.getStore().getByKey(name);
        if (csr == null || !approved(csr) || has(csr, "Denied") || has(csr, "Failed")
                || (csr.getStatus() != null && csr.getStatus().getCertificate() != null && !csr.getStatus().getCertificate().isEmpty())) {
            return null;
        }
        Optional<SignerRules> rules = SignerRules.of(csr.getSpec().getSignerName());
        if (rules.isEmpty()) {
            return null;
        }
        List<String> usages = csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
        String refusal;
        X509Certificate signed = null;
        try {
            CertificateRequest request = CertificateRequest.parse(Base64.getDecoder().decode(csr.getSpec().getRequest()));
            refusal = rules.get().refusal(request, usages).orElse(null);
            if (refusal == null) {
                signed = ca.sign(request, validity(csr), java.util.Set.of(rules.get().purpose()));
            }
        } catch (PkiException | IllegalArgumentException e) {
            refusal = "the request cannot be signed: " + e.getMessage();
        }
        write(csr, signed, refusal);
        return null;
    }

    private Duration validity(CertificateSigningRequest csr) {
        Integer seconds = csr.getSpec().getExpirationSeconds();
        Duration asked = seconds == null ? maxDuration : Duration.ofSeconds(seconds);
        return asked.compareTo(maxDuration) < 0 ? asked : maxDuration;
    }

    private void write(CertificateSigningRequest csr, X509Certificate signed, String refusal) {
        CertificateSigningRequest copy = Serialization.clone(csr);
        if (signed != null) {
            String pem = PemFiles.encode(signed);
            copy.getStatus().setCertificate(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)));
            LOG.info("signed CSR {} for {} with {}, valid until {}", csr.getMetadata().getName(),
                    signed.getSubjectX500Principal().getName(), csr.getSpec().getSignerName(), signed.getNotAfter().toInstant());
        } else {
            String now = ctx.clock().instant().toString();
            copy.getStatus().getConditions().add(new CertificateSigningRequestConditionBuilder().withType("Failed")
                    .withStatus("True").withReason(FAILED_REASON).withMessage(refusal)
                    .withLastUpdateTime(now).withLastTransitionTime(now).build());
            LOG.info("not signing CSR {}: {}", csr.getMetadata().getName(), refusal);
        }
        try {
            ctx.client().certificates().v1().certificateSigningRequests().resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
            // gone, or changed meanwhile: the informer brings the new state and the key comes back
        }
    }

    private static boolean approved(CertificateSigningRequest csr) {
        return has(csr, "Approved");
    }

    private static boolean has(CertificateSigningRequest csr, String type) {
        if (csr.getStatus() == null || csr.getStatus().getConditions() == null) {
            return false;
        }
        for (CertificateSigningRequestCondition c : csr.getStatus().getConditions()) {
            if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }
}
