package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Meta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code token} subresource of service accounts: checks a TokenRequest, resolves the object it
 * binds the token to, and answers with the signed token and its expiry.
 *
 * <p>As kube-apiserver does by default, a pod-bound token for the API's own audiences requested for
 * exactly {@value #WARN_ONLY_SECONDS} s (what the {@code kube-api-access} volume asks for) is valid
 * for a year: the answer still says {@value #WARN_ONLY_SECONDS} s, so the kubelet refreshes it as
 * often, and the token names that moment as {@code warnafter}. For an edge node this is what keeps
 * its pods' tokens good through a partition longer than an hour, when the kubelet cannot refresh them.
 * {@code --service-account-extend-token-expiration=false} turns it off, as it does upstream.
 */
public final class TokenRequests {
    static final String GROUP = "authentication.k8s.io";
    static final long DEFAULT_SECONDS = 3600;
    static final long MIN_SECONDS = 600;
    static final long MAX_SECONDS = 1L << 32;
    static final long WARN_ONLY_SECONDS = 3607;
    static final long EXTENDED_SECONDS = 365L * 24 * 60 * 60;

    private final ServiceAccountTokenIssuer issuer;
    private final ObjectLookup objects;
    private final List<String> defaultAudiences;
    private final boolean extendPodTokens;

    /** @param extendPodTokens whether a pod's API-access token is valid for a year, refreshed hourly */
    public TokenRequests(ServiceAccountTokenIssuer issuer, ObjectLookup objects, List<String> defaultAudiences,
                         boolean extendPodTokens) {
        this.issuer = issuer;
        this.objects = objects;
        this.defaultAudiences = List.copyOf(defaultAudiences);
        this.extendPodTokens = extendPodTokens;
    }

    /** The answered TokenRequest for service account {@code namespace/name}. */
    public ObjectNode create(String namespace, String name, ObjectNode request) {
        ObjectNode spec = request.with("spec");
        JsonNode seconds = spec.path("expirationSeconds");
        long expiration = seconds.isMissingNode() || seconds.isNull() ? DEFAULT_SECONDS : seconds.asLong();
        if (!seconds.isMissingNode() && !seconds.isNull() && !seconds.canConvertToLong()) {
            throw invalid("Invalid value: " + seconds + ": must be an integer", "spec.expirationSeconds");
        }
        if (expiration < MIN_SECONDS) {
            throw invalid("Invalid value: " + expiration + ": may not specify a duration less than 10 minutes",
                    "spec.expirationSeconds");
        }
        if (expiration > MAX_SECONDS) {
            throw invalid("Invalid value: " + expiration + ": may not specify a duration larger than 2^32 seconds",
                    "spec.expirationSeconds");
        }
        JsonNode sa = objects.find("serviceaccounts", namespace, name)
                .orElseThrow(() -> ApiException.notFound("", "serviceaccounts", name));
        List<ServiceAccountTokenIssuer.Binding> bindings = bindings(namespace, name, spec.path("boundObjectRef"));
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        if (audiences.isEmpty()) {
            audiences.addAll(defaultAudiences);
        }
        boolean warnOnly = extendPodTokens && expiration == WARN_ONLY_SECONDS && defaultAudiences.containsAll(audiences)
                && bindings.stream().anyMatch(b -> b.claim().equals("pod"));
        ServiceAccountTokenIssuer.Issued issued = warnOnly
                ? issuer.issueWarnOnly(namespace, name, Meta.uid(sa), bindings, audiences, expiration, EXTENDED_SECONDS)
                : issuer.issue(namespace, name, Meta.uid(sa), bindings, audiences, expiration);

        ObjectNode out = request.deepCopy();
        out.put("kind", "TokenRequest").put("apiVersion", GROUP + "/v1");
        ObjectNode meta = Meta.metadata(out);
        meta.put("name", name).put("namespace", namespace).putNull("creationTimestamp");
        ObjectNode outSpec = out.with("spec");
        ArrayNode aud = outSpec.putArray("audiences");
        audiences.forEach(aud::add);
        outSpec.put("expirationSeconds", expiration);
        out.putObject("status").put("token", issued.token()).put("expirationTimestamp", Meta.timestamp(warnOnly ? issued.warnAfter() : issued.expires()));
        return out;
    }

    private List<ServiceAccountTokenIssuer.Binding> bindings(String namespace, String saName, JsonNode ref) {
        if (ref.isMissingNode() || ref.isNull()) {
            return List.of();
        }
        String kind = ref.path("kind").asText("");
        String apiVersion = ref.path("apiVersion").asText("");
        String name = ref.path("name").asText("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String claim = switch (group.isEmpty() ? kind : "") {
            case "Pod" -> "pod";
            case "Secret" -> "secret";
            case "Node" -> "node";
            default -> throw ApiException.badRequest("cannot bind token to object of type "
                    + (apiVersion.isEmpty() ? "" : apiVersion + ", ") + "Kind=" + kind);
        };
        if (name.isEmpty()) {
            throw invalid("Required value", "spec.boundObjectRef.name");
        }
        String plural = claim + "s";
        JsonNode obj = objects.find(plural, claim.equals("node") ? null : namespace, name)
                .orElseThrow(() -> ApiException.notFound("", plural, name));
        if (claim.equals("pod")) {
            String podSa = obj.path("spec").path("serviceAccountName").asText("default");
            if (!saName.equals(podSa.isEmpty() ? "default" : podSa)) {
                throw ApiException.badRequest("cannot bind token for serviceaccount \"" + saName
                        + "\" to pod running with different serviceaccount name.");
            }
        }
        String uid = Meta.uid(obj);
        String wanted = ref.path("uid").asText("");
        if (!wanted.isEmpty() && !wanted.equals(uid)) {
            throw ApiException.conflict("", kind, name, "the UID in the bound object reference (" + wanted
                    + ") does not match the UID in record. The object might have been deleted and then recreated");
        }
        List<ServiceAccountTokenIssuer.Binding> out = new ArrayList<>();
        out.add(new ServiceAccountTokenIssuer.Binding(claim, name, uid));
        if (claim.equals("pod")) {
            nodeOf(obj).ifPresent(out::add);
        }
        return out;
    }

    /** A pod's token also names the pod's node, so that a node's credentials can be tied to its pods. */
    private Optional<ServiceAccountTokenIssuer.Binding> nodeOf(JsonNode pod) {
        String node = pod.path("spec").path("nodeName").asText("");
        if (node.isEmpty()) {
            return Optional.empty();
        }
        return objects.find("nodes", null, node).map(n -> new ServiceAccountTokenIssuer.Binding("node", node, Meta.uid(n)));
    }

    private static ApiException invalid(String message, String field) {
        return ApiException.invalid(GROUP, "TokenRequest", "", List.of(new ApiException.Cause("FieldValueInvalid", message, field)));
    }
}
