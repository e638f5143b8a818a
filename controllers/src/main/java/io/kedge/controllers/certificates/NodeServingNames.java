package io.kedge.controllers.certificates;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.PkiException;
import io.kedge.pki.SubjectAltNames;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which {@code kubelet-serving} requests kedge approves by itself: one a node makes for itself
 * ({@code system:node:NAME} in {@code system:nodes}), naming only that node, the names pods use for
 * the API ({@code kubernetes.default} and its longer forms, which the node's hub answers), the node's
 * own addresses, the {@code kubernetes} Service's ClusterIPs and link-local addresses (the node DNS).
 * A name or address beyond those, another node's name, or a requester other than the node itself
 * leaves the request for a person.
 */
final class NodeServingNames {
    static final String NODE_PREFIX = "system:node:";
    static final List<String> API_NAMES = List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local");

    private NodeServingNames() {}

    /**
     * Empty when the request may be approved; else why not.
     *
     * @param node       the Node the requester is, or null when there is none
     * @param kubernetes the default/kubernetes Service, or null
     */
    static Optional<String> approvable(CertificateSigningRequest csr, Node node, Service kubernetes) {
        CertificateRequest request;
        SubjectAltNames names;
        try {
            request = CertificateRequest.parse(Base64.getDecoder().decode(csr.getSpec().getRequest()));
            names = request.subjectAltNames();
        } catch (PkiException | IllegalArgumentException e) {
            return Optional.of("the request does not parse: " + e.getMessage());
        }
        List<String> usages = csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
        Optional<String> refusal = SignerRules.KUBELET_SERVING.refusal(request, usages);
        if (refusal.isPresent()) {
            return refusal;
        }
        String requester = csr.getSpec().getUsername();
        List<String> groups = csr.getSpec().getGroups() == null ? List.of() : csr.getSpec().getGroups();
        if (!request.commonName().equals(requester) || !groups.contains("system:nodes")) {
            return Optional.of("requested by " + requester + ", not by " + request.commonName() + " itself");
        }
        String nodeName = request.commonName().substring(NODE_PREFIX.length());
        if (node == null) {
            return Optional.of("node " + nodeName + " does not exist, so its addresses are not known");
        }
        Set<String> allowedDns = new HashSet<>(API_NAMES);
        allowedDns.add(nodeName);
        for (String dns : names.dnsNames()) {
            if (!allowedDns.contains(dns)) {
                return Optional.of("the DNS name " + dns + " is neither the node's name nor a name of the kubernetes Service");
            }
        }
        Set<String> allowedIps = new HashSet<>();
        List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
                : node.getStatus().getAddresses();
        addresses.forEach(a -> allowedIps.add(canonical(a.getAddress())));
        if (kubernetes != null && kubernetes.getSpec() != null) {
            if (kubernetes.getSpec().getClusterIPs() != null) {
                kubernetes.getSpec().getClusterIPs().forEach(ip -> allowedIps.add(canonical(ip)));
            }
            allowedIps.add(canonical(kubernetes.getSpec().getClusterIP()));
        }
        for (String ip : names.ipAddresses()) {
            if (!allowedIps.contains(ip) && !linkLocalV4(ip)) {
                return Optional.of("the IP address " + ip + " is none of node " + nodeName
                        + "'s addresses, the kubernetes Service's ClusterIPs or 169.254.0.0/16");
            }
        }
        return Optional.empty();
    }

    /** As SubjectAltNames writes addresses, so that the two compare as strings; null for what is no address. */
    private static String canonical(String ip) {
        if (ip == null || ip.isEmpty() || !ip.matches("[0-9a-fA-F.:]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean linkLocalV4(String ip) {
        String[] octets = ip.split("\\.");
        return octets.length == 4 && octets[0].equals("169") && octets[1].equals("254");
    }
}
