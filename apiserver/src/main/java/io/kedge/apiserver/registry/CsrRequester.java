package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.apiserver.auth.UserInfo;

/**
 * Records who asked for a certificate: a new CertificateSigningRequest's {@code spec.username},
 * {@code uid}, {@code groups} and {@code extra} are the requester's, whatever the body said, so
 * approvers can trust them (a node's CSR made with a bootstrap token says so).
 */
public final class CsrRequester implements Admission {
    @Override
    public void admitCreate(ResourceType t, ObjectNode csr, WriteOptions opts) {
        if (!t.group().equals("certificates.k8s.io") || !t.plural().equals("certificatesigningrequests")) {
            return;
        }
        ObjectNode spec = csr.with("spec");
        spec.remove(java.util.List.of("username", "uid", "groups", "extra"));
        UserInfo user = opts.user();
        if (user == null) {
            return;
        }
        spec.put("username", user.name());
        if (!user.uid().isEmpty()) {
            spec.put("uid", user.uid());
        }
        ArrayNode groups = spec.putArray("groups");
        user.groups().forEach(groups::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = spec.putObject("extra");
            user.extra().forEach((k, v) -> {
                ArrayNode values = extra.putArray(k);
                v.forEach(values::add);
            });
        }
    }
}
