package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** certificates.k8s.io/v1 CertificateSigningRequest: a PEM request, a signer, and usages. */
final class CertificateSigningRequestRules implements KindRules {
    static final List<String> USAGES = List.of("signing", "digital signature", "content commitment",
            "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign", "encipher only",
            "decipher only", "any", "server auth", "client auth", "code signing", "email protection", "s/mime",
            "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc",
            "netscape sgc");
    static final int MIN_EXPIRATION_SECONDS = 600;
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode csr, ErrorCollector errs) {
        ObjectNode spec = errs.object(csr, "spec", FieldPath.ROOT);
        String request = errs.requiredString(spec, "request", SPEC, "");
        if (request != null) {
            String problem = requestProblem(request);
            if (problem != null) {
                errs.invalid(SPEC.child("request"), "<request omitted>", problem);
            }
        }
        String signer = errs.requiredString(spec, "signerName", SPEC, "");
        if (signer != null) {
            validateSignerName(signer, errs);
        }
        List<String> usages = errs.stringList(spec, "usages", SPEC);
        if (usages.isEmpty()) {
            errs.required(SPEC.child("usages"), "usages must be provided");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < usages.size(); i++) {
            String u = usages.get(i);
            if (!USAGES.contains(u)) {
                errs.notSupported(SPEC.child("usages").index(i), u, USAGES);
            } else if (!seen.add(u)) {
                errs.duplicate(SPEC.child("usages").index(i), u);
            }
        }
        Integer expiration = errs.int32(spec, "expirationSeconds", SPEC);
        if (expiration != null && expiration < MIN_EXPIRATION_SECONDS) {
            errs.invalid(SPEC.child("expirationSeconds"), expiration,
                    "may not specify a duration less than 600 seconds (10 minutes)");
        }
    }

    /**
     * The wire form is base64 of PEM text holding one CERTIFICATE REQUEST block. The signature itself is
     * checked by whoever signs.
     */
    private static String requestProblem(String request) {
        String pem;
        try {
            pem = new String(Base64.getDecoder().decode(request), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return "must be base64-encoded PEM data";
        }
        Matcher m = PEM_BLOCK.matcher(pem);
        if (!m.find()) {
            return "PEM block type must be CERTIFICATE REQUEST";
        }
        if (!m.group(1).equals("CERTIFICATE REQUEST")) {
            return "PEM block type must be CERTIFICATE REQUEST";
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            if (der.length < 2 || der[0] != 0x30) {
                return "PEM block does not hold a DER-encoded certificate request";
            }
        } catch (IllegalArgumentException e) {
            return "PEM block does not hold a DER-encoded certificate request";
        }
        return null;
    }

    /** Signer names read like {@code example.com/signer-name}: a domain, a slash, a path. */
    private static void validateSignerName(String signer, ErrorCollector errs) {
        FieldPath p = SPEC.child("signerName");
        int slash = signer.indexOf('/');
        if (slash <= 0 || slash == signer.length() - 1) {
            errs.invalid(p, signer, "must be a fully qualified domain and path of the form 'example.com/signer-name'");
            return;
        }
        String domain = signer.substring(0, slash);
        List<String> problems = Formats.dns1123Subdomain(domain);
        if (!problems.isEmpty() || !domain.contains(".")) {
            errs.invalid(p, signer, "must be a fully qualified domain and path of the form 'example.com/signer-name'");
        }
    }
}
