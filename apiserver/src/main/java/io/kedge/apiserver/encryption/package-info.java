/**
 * Encryption at rest: values of chosen resources (Secrets, normally) are sealed with AES-GCM before
 * they reach the store, following an {@code EncryptionConfiguration} file as upstream reads it.
 */
package io.kedge.apiserver.encryption;
