package io.kedge.bench;

/** Namespaces the benchmarks write into. */
final class Namespaces {
    private Namespaces() {}

    /** Creates the namespace unless it exists already. */
    static void ensure(ApiClient api, String name) {
        ApiClient.Response r = api.post("/api/v1/namespaces", HollowObjects.namespace(name));
        if (!r.ok() && r.status() != 409) {
            throw new IllegalStateException("cannot create namespace " + name + ": " + r.status() + " " + r.body());
        }
    }
}
