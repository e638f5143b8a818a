package io.kedge.kubelet.pod;

/** The parts of an image reference the kubelet needs: its registry host and whether it names a tag. */
final class ImageRef {
    static final String DOCKER_HUB = "docker.io";

    private ImageRef() {
    }

    /** The registry host of an image reference; Docker Hub when the first path part is not a host. */
    static String registry(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return DOCKER_HUB;
        }
        String first = image.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return first.equals("index.docker.io") ? DOCKER_HUB : first;
        }
        return DOCKER_HUB;
    }

    /** True when the reference names no tag or digest, or the tag {@code latest}: upstream then pulls Always by default. */
    static boolean isLatest(String image) {
        if (image.contains("@")) {
            return false;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return true;
        }
        return image.substring(colon + 1).equals("latest");
    }
}
