package io.kedge.kubelet.pod;

/** A container's image is not on the node and cannot be pulled now; {@link #reason()} is the upstream waiting reason. */
final class ImagePullException extends Exception {
    static final String ERR_IMAGE_PULL = "ErrImagePull";
    static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
    static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
    static final String INVALID_IMAGE_NAME = "InvalidImageName";

    private final String reason;

    ImagePullException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
