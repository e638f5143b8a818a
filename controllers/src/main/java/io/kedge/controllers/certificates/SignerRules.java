package io.kedge.controllers.certificates;

import io.kedge.pki.CertificateRequest;
import io.kedge.pki.KeyPurpose;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What each built-in signer agrees to sign, as Kubernetes defines its signers: the subject, the
 * subjectAltNames and the key usages a request may carry. A request outside them fails with the
 * reason, instead of being signed with something else.
 */
enum SignerRules {
    /** Any subject; a client certificate for the API server. */
    API_SERVER_CLIENT("kubernetes.io/kube-apiserver-client", KeyPurpose.CLIENT_AUTH, false, false),
    /** A node's client certificate: system:node:NAME in system:nodes, no subjectAltNames. */
    KUBELET_CLIENT("kubernetes.io/kube-apiserver-client-kubelet", KeyPurpose.CLIENT_AUTH, true, false),
    /** A kubelet's serving certificate: system:node:NAME in system:nodes, with at least one DNS name or IP. */
    KUBELET_SERVING("kubernetes.io/kubelet-serving", KeyPurpose.SERVER_AUTH, true, true);

    private static final Set<String> PLAIN_USAGES = Set.of("digital signature", "key encipherment");

    private final String signerName;
    private final KeyPurpose purpose;
    private final boolean nodeSubject;
    private final boolean needsAltNames;

    SignerRules(String signerName, KeyPurpose purpose, boolean nodeSubject, boolean needsAltNames) {
        this.signerName = signerName;
        this.purpose = purpose;
        this.nodeSubject = nodeSubject;
        this.needsAltNames = needsAltNames;
    }

    static Optional<SignerRules> of(String signerName) {
        for (SignerRules r : values()) {
            if (r.signerName.equals(signerName)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    String signerName() {
        return signerName;
    }

    KeyPurpose purpose() {
        return purpose;
    }

    /** Why this signer will not sign the request, or empty when it will. */
    Optional<String> refusal(CertificateRequest request, List<String> usages) {
        if (!usages.contains(purpose.kubernetesUsage())) {
            return Optional.of(signerName + " needs the usage \"" + purpose.kubernetesUsage() + "\"");
        }
        for (String usage : usages) {
            if (!usage.equals(purpose.kubernetesUsage()) && !PLAIN_USAGES.contains(usage)) {
                return Optional.of(signerName + " does not sign the usage \"" + usage + "\"");
            }
        }
        if (nodeSubject) {
            if (!request.commonName().startsWith("system:node:") || request.commonName().length() == "system:node:".length()) {
                return Optional.of(signerName + " signs only common names system:node:<name>, not \"" + request.commonName() + "\"");
            }
            if (!request.organizations().equals(List.of("system:nodes"))) {
                return Optional.of(signerName + " signs only the organization [system:nodes], not " + request.organizations());
            }
        }
        boolean hasAltNames = !request.subjectAltNames().isEmpty();
        if (needsAltNames && !hasAltNames) {
            return Optional.of(signerName + " needs at least one DNS name or IP address subjectAltName");
        }
        if (this == KUBELET_CLIENT && hasAltNames) {
            return Optional.of(signerName + " does not sign subjectAltNames");
        }
        return Optional.empty();
    }
}
