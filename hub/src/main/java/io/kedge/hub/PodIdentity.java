package io.kedge.hub;

/** Whom a pod's token speaks for: a service account, through one pod. */
record PodIdentity(String namespace, String serviceAccount, String serviceAccountUid, String pod, String podUid) {
    /** The service account's user name, as the cloud's RBAC and audit know it. */
    String userName() {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }

    /**
     * The cache's client key for what this service account read: by the account (its uid too, so a
     * recreated account of the same name starts with nothing), not by the pod, since its grants are the account's.
     */
    String cacheClient() {
        return "serviceaccount:" + namespace + "/" + serviceAccount + "/" + serviceAccountUid;
    }
}
