package io.kedge.pki;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Subject distinguished names in the shape Kubernetes reads: CN is the user, each O is a group. */
final class SubjectNames {
    private SubjectNames() {
    }

    static X500Name of(String commonName, List<String> organizations) {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("a certificate subject needs a non-empty common name");
        }
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (String organization : organizations == null ? List.<String>of() : organizations) {
            if (organization == null || organization.isBlank()) {
                throw new IllegalArgumentException("empty organization (group) for subject " + commonName);
            }
            builder.addRDN(BCStyle.O, organization);
        }
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }

    /** Every value of one attribute type, unescaped. */
    static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (attribute.getType().equals(type)) {
                    ASN1Encodable value = attribute.getValue();
                    values.add(value instanceof ASN1String s ? s.getString() : IETFUtils.valueToString(value));
                }
            }
        }
        return values;
    }
}
