package io.kedge.apiserver.registry;

import io.kedge.apiserver.auth.UserInfo;

/**
 * Per-request settings of a write. {@code fieldValidation} is Strict, Warn or Ignore;
 * {@code fieldManager} is already resolved (from the query or the User-Agent); {@code apply} marks
 * writes whose managedFields server-side apply has already set.
 */
public record WriteOptions(boolean dryRun, String fieldManager, String fieldValidation, UserInfo user, boolean apply) {

    public WriteOptions(boolean dryRun, String fieldManager, String fieldValidation, UserInfo user) {
        this(dryRun, fieldManager, fieldValidation, user, false);
    }

    public boolean strict() {
        return "Strict".equals(fieldValidation);
    }

    public WriteOptions asApply() {
        return new WriteOptions(dryRun, fieldManager, fieldValidation, user, true);
    }
}
