package io.kedge.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM encoding and decoding of certificates and private keys.
 *
 * <p>Private keys are written as PKCS#8 ({@code PRIVATE KEY}), which Go's crypto/tls, OpenSSL, the JDK and Netty all
 * read without extra providers. Reading also accepts the traditional {@code EC PRIVATE KEY} and
 * {@code RSA PRIVATE KEY} forms that other tools write.
 */
public final class PemFiles {
    private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();
    private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

    private PemFiles() {
    }

    public static String encode(X509Certificate certificate) {
        return write(certificate);
    }

    public static String encode(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        certificates.forEach(c -> pem.append(encode(c)));
        return pem.toString();
    }

    public static String encode(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new PkiException("cannot encode " + key.getAlgorithm() + " private key: " + e.getMessage(), e);
        }
    }

    /**
     * The key in its algorithm's traditional form ({@code EC PRIVATE KEY} for EC keys). Kubeconfigs
     * carry this form because the fabric8 client reads EC keys only in it; Go reads both.
     */
    public static String encodeTraditional(PrivateKey key) {
        if (!(key instanceof java.security.interfaces.ECPrivateKey ec)) {
            return write(key);
        }
        // SEC 1 with the curve named inside: readers that only know this form need the parameters there
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        try {
            org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            var full = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), inner.getKey(),
                    inner.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
            return write(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", full.getEncoded()));
        } catch (IOException e) {
            throw new PkiException("cannot encode EC private key: " + e.getMessage(), e);
        }
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new PkiException("cannot PEM-encode " + object.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** Every certificate in the text, in order; {@code source} names the text in error messages. */
    public static List<X509Certificate> parseCertificates(String pem, String source) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : readObjects(pem, source)) {
            if (object instanceof X509CertificateHolder holder) {
                certificates.add(toCertificate(holder, source));
            }
        }
        if (certificates.isEmpty()) {
            throw new PkiException(source + ": no PEM CERTIFICATE block found");
        }
        return certificates;
    }

    /** The first certificate in the text. */
    public static X509Certificate parseCertificate(String pem, String source) {
        return parseCertificates(pem, source).get(0);
    }

    /** The first private key in the text, in PKCS#8, SEC1 (EC) or PKCS#1 (RSA) form. */
    public static PrivateKey parsePrivateKey(String pem, String source) {
        for (Object object : readObjects(pem, source)) {
            try {
                if (object instanceof PrivateKeyInfo info) {
                    return KEYS.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // Only the private part: SEC1 keys written by some tools omit the optional public key.
                    return KEYS.getPrivateKey(pair.getPrivateKeyInfo());
                }
            } catch (IOException e) {
                throw new PkiException(source + ": unusable private key: " + e.getMessage(), e);
            }
            if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new PkiException(source + ": the private key is encrypted; only unencrypted keys are supported");
            }
        }
        throw new PkiException(source + ": no PEM PRIVATE KEY block found");
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        return parseCertificate(readText(file), file.toString());
    }

    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return parseCertificates(readText(file), file.toString());
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return parsePrivateKey(readText(file), file.toString());
    }

    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        SecureFiles.writePublic(file, encode(certificate).getBytes(StandardCharsets.US_ASCII));
    }

    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        SecureFiles.writePrivate(file, encode(key).getBytes(StandardCharsets.US_ASCII));
    }

    static String readText(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "file does not exist");
        }
    }

    private static List<Object> readObjects(String pem, String source) {
        if (pem == null) {
            throw new PkiException(source + ": no PEM content");
        }
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new PkiException(source + ": malformed PEM: " + e.getMessage(), e);
        }
        return objects;
    }

    private static X509Certificate toCertificate(X509CertificateHolder holder, String source) {
        try {
            return CERTIFICATES.getCertificate(holder);
        } catch (CertificateException e) {
            throw new PkiException(source + ": unusable certificate: " + e.getMessage(), e);
        }
    }
}
