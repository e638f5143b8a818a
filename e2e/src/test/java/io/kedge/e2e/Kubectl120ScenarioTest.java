package io.kedge.e2e;

/** kubectl 1.20, Debian's kubernetes-client: SPDY-era, OpenAPI v2 protobuf, no WatchList. */
class Kubectl120ScenarioTest extends KubectlScenario {
    @Override
    String kubectlBinary() {
        return "kubectl-1.20";
    }
}
