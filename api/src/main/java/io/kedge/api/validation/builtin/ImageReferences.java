package io.kedge.api.validation.builtin;

/** Reads the tag out of an image reference, the one fact the pull-policy default depends on. */
final class ImageReferences {
    private ImageReferences() {}

    /**
     * The tag; "latest" when the reference names neither a tag nor a digest, "" when it has only a digest.
     */
    static String tag(String image) {
        String ref = image;
        boolean digest = false;
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
            digest = true;
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return ref.substring(colon + 1);
        }
        return digest ? "" : "latest";
    }
}
