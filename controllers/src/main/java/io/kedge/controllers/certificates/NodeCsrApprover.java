package io.kedge.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Informers;
import io.kedge.controllers.framework.Reconciler;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.PkiException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approves the node certificates that joining and rotation need, and nothing else: a well-formed
 * {@code kube-apiserver-client-kubelet} request for {@code system:node:NAME}, made either with a
 * bootstrap token (a new node) or by that same node (a renewal); and a {@code kubelet-serving}
 * request a node makes for its own names and addresses ({@link NodeServingNames}). The requester
 * comes from the server ({@code spec.username} and {@code groups}), not from the request body.
 * Anything else stays pending for a person to approve or deny.
 */
public final class NodeCsrApprover implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCsrApprover.class);
    static final String REASON = "AutoApproved";
    private static final String BOOTSTRAPPERS = "system:bootstrappers";

    private final ControllerContext ctx;
    private final SharedIndexInformer<CertificateSigningRequest> csrs;

    private NodeCsrApprover(ControllerContext ctx, SharedIndexInformer<CertificateSigningRequest> csrs) {
        this.ctx = ctx;
        this.csrs = csrs;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<CertificateSigningRequest> csrs = Informers.shared(ctx.informers(), CertificateSigningRequest.class);
        Controller controller = new Controller("csr-approving", new NodeCsrApprover(ctx, csrs), 1);
        csrs.addEventHandler(controller.enqueueSelf());
        return controller;
    }

    @Override
    public Duration reconcile(String name) {
        CertificateSigningRequest csr = csrs.getStore().getByKey(name);
        if (csr == null || decided(csr)) {
            return null;
        }
        String signer = csr.getSpec().getSignerName();
        boolean serving = SignerRules.KUBELET_SERVING.signerName().equals(signer);
        if (!serving && !SignerRules.KUBELET_CLIENT.signerName().equals(signer)) {
            return null;
        }
        Optional<String> why = serving ? servingApprovable(csr) : approvable(csr);
        if (why.isPresent()) {
            LOG.debug("leaving CSR {} for a person: {}", name, why.get());
            return null;
        }
        String now = ctx.clock().instant().toString();
        try {
            ctx.client().certificates().v1().certificateSigningRequests().withName(name).approve(
                    new CertificateSigningRequestConditionBuilder().withType("Approved").withStatus("True").withReason(REASON)
                            .withMessage(serving
                                    ? "approved by kedge: a node serving certificate for its own name and addresses, requested "
                                            + "by the node itself"
                                    : "approved by kedge: a node client certificate for its own name, requested with a "
                                            + "bootstrap token or by the node itself")
                            .withLastUpdateTime(now).withLastTransitionTime(now).build());
            LOG.info("approved node CSR {} from {}", name, csr.getSpec().getUsername());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
        return null;
    }

    /** Empty when the request may be approved; else why not. */
    static Optional<String> approvable(CertificateSigningRequest csr) {
        CertificateRequest request;
        try {
            request = CertificateRequest.parse(Base64.getDecoder().decode(csr.getSpec().getRequest()));
        } catch (PkiException | IllegalArgumentException e) {
            return Optional.of("the request does not parse: " + e.getMessage());
        }
        List<String> usages = csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
        Optional<String> refusal;
        try {
            refusal = SignerRules.KUBELET_CLIENT.refusal(request, usages);
        } catch (PkiException e) {
            return Optional.of("the request does not parse: " + e.getMessage());
        }
        if (refusal.isPresent()) {
            return refusal;
        }
        String requester = csr.getSpec().getUsername();
        List<String> groups = csr.getSpec().getGroups() == null ? List.of() : csr.getSpec().getGroups();
        boolean newNode = groups.contains(BOOTSTRAPPERS);
        boolean renewal = request.commonName().equals(requester) && groups.contains("system:nodes");
        if (!newNode && !renewal) {
            return Optional.of("requested by " + requester + ", neither a bootstrap token nor " + request.commonName() + " itself");
        }
        return Optional.empty();
    }

    /** The serving request with what the cluster says of the node now: its addresses and the kubernetes Service. */
    private Optional<String> servingApprovable(CertificateSigningRequest csr) {
        String cn = csr.getSpec().getUsername() == null ? "" : csr.getSpec().getUsername();
        String node = cn.startsWith(NodeServingNames.NODE_PREFIX) ? cn.substring(NodeServingNames.NODE_PREFIX.length()) : null;
        return NodeServingNames.approvable(csr,
                node == null || node.isEmpty() ? null : ctx.client().nodes().withName(node).get(),
                ctx.client().services().inNamespace("default").withName("kubernetes").get());
    }

    private static boolean decided(CertificateSigningRequest csr) {
        return csr.getStatus() != null && csr.getStatus().getConditions() != null && csr.getStatus().getConditions().stream()
                .anyMatch(c -> "True".equals(c.getStatus())
                        && ("Approved".equals(c.getType()) || "Denied".equals(c.getType()) || "Failed".equals(c.getType())));
    }
}
