package io.kedge.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** A PKCS#10 certificate signing request whose signature has been checked. */
public final class CertificateRequest {
    private final PKCS10CertificationRequest request;
    private final PublicKey publicKey;

    private CertificateRequest(PKCS10CertificationRequest request, PublicKey publicKey) {
        this.request = request;
        this.publicKey = publicKey;
    }

    /** Parses DER, or PEM ({@code CERTIFICATE REQUEST}), and verifies the request's self-signature. */
    public static CertificateRequest parse(byte[] derOrPem) {
        if (derOrPem == null || derOrPem.length == 0) {
            throw new PkiException("CSR: empty input");
        }
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(der(derOrPem));
        } catch (IOException | RuntimeException e) {
            throw new PkiException("CSR: not a PKCS#10 certificate request: " + e.getMessage(), e);
        }
        PublicKey publicKey;
        try {
            publicKey = new JcaPKCS10CertificationRequest(request).getPublicKey();
        } catch (InvalidKeyException | NoSuchAlgorithmException e) {
            throw new PkiException("CSR: unsupported public key: " + e.getMessage(), e);
        }
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new PkiException("CSR: signature does not verify against the requested public key");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new PkiException("CSR: cannot verify signature: " + e.getMessage(), e);
        }
        return new CertificateRequest(request, publicKey);
    }

    /** Builds and signs a request; organizations become O entries and the SANs an extension request. */
    public static CertificateRequest create(KeyPair keys, String commonName, List<String> organizations,
                                            SubjectAltNames subjectAltNames) {
        X500Name subject = SubjectNames.of(commonName, organizations);
        JcaPKCS10CertificationRequestBuilder builder =
                new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
        try {
            if (subjectAltNames != null && !subjectAltNames.isEmpty()) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false, subjectAltNames.toGeneralNames());
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            PKCS10CertificationRequest request = builder.build(
                    new JcaContentSignerBuilder(Keys.signatureAlgorithm(keys.getPrivate())).build(keys.getPrivate()));
            return new CertificateRequest(request, keys.getPublic());
        } catch (IOException | OperatorCreationException e) {
            throw new PkiException("cannot build CSR for " + commonName + ": " + e.getMessage(), e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The subject's CN, or an empty string when there is none. */
    public String commonName() {
        return SubjectNames.values(request.getSubject(), BCStyle.CN).stream().findFirst().orElse("");
    }

    public List<String> organizations() {
        return SubjectNames.values(request.getSubject(), BCStyle.O);
    }

    /**
     * The DNS and IP names requested in the extension request. Any other kind of name is rejected, since kedge
     * never issues them and silently dropping one would surprise the requester.
     */
    public SubjectAltNames subjectAltNames() {
        Extensions extensions = request.getRequestedExtensions();
        GeneralNames names = extensions == null ? null : GeneralNames.fromExtensions(extensions,
                Extension.subjectAlternativeName);
        if (names == null) {
            return SubjectAltNames.none();
        }
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (GeneralName name : names.getNames()) {
            if (name.getTagNo() == GeneralName.dNSName) {
                dns.add(name.getName().toString());
            } else if (name.getTagNo() == GeneralName.iPAddress) {
                ips.add(SubjectAltNames.ipAddress(name));
            } else {
                throw new PkiException("CSR for " + commonName() + " requests a subjectAltName of type "
                        + name.getTagNo() + "; only DNS names and IP addresses are supported");
            }
        }
        return new SubjectAltNames(dns, ips);
    }

    public byte[] der() {
        try {
            return request.getEncoded();
        } catch (IOException e) {
            throw new PkiException("cannot encode CSR: " + e.getMessage(), e);
        }
    }

    public String pem() {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject("CERTIFICATE REQUEST", der()));
        } catch (IOException e) {
            throw new PkiException("cannot encode CSR: " + e.getMessage(), e);
        }
        return out.toString();
    }

    X500Name subject() {
        return request.getSubject();
    }

    private static byte[] der(byte[] derOrPem) throws IOException {
        String text = new String(derOrPem, StandardCharsets.ISO_8859_1);
        if (!text.contains("-----BEGIN")) {
            return derOrPem;
        }
        try (PemReader reader = new PemReader(new StringReader(text))) {
            for (PemObject object = reader.readPemObject(); object != null; object = reader.readPemObject()) {
                if (object.getType().endsWith("CERTIFICATE REQUEST")) {
                    return object.getContent();
                }
            }
        }
        throw new IOException("no PEM CERTIFICATE REQUEST block found");
    }
}
