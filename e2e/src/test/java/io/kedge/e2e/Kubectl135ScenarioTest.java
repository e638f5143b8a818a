package io.kedge.e2e;

/** kubectl 1.35, from the npm package that ships it with helm. */
class Kubectl135ScenarioTest extends KubectlScenario {
    @Override
    String kubectlBinary() {
        return "kubectl-1.35";
    }
}
