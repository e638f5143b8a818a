package io.kedge.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** Key generation and key/certificate matching. */
public final class Keys {
    static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /** A fresh ECDSA P-256 key pair: fast to generate and to use, and accepted by every Kubernetes client. */
    public static KeyPair generateP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("this JVM cannot generate P-256 keys: " + e.getMessage(), e);
        }
    }

    /** Whether the private key belongs to the public key, proved by signing a random challenge with it. */
    public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            String algorithm = signatureAlgorithm(privateKey);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String signatureAlgorithm(PrivateKey key) {
        switch (key.getAlgorithm()) {
            case "EC":
            case "ECDSA":
                return "SHA256withECDSA";
            case "RSA":
                return "SHA256withRSA";
            case "Ed25519":
            case "EdDSA":
                return "Ed25519";
            default:
                throw new PkiException("unsupported private key algorithm " + key.getAlgorithm()
                        + " (supported: EC, RSA, Ed25519)");
        }
    }
}
