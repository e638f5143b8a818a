package io.kedge.kubelet.server;

/** Which of a container's streams an exec or attach session carries. */
public record StreamOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    public boolean any() {
        return stdin || stdout || stderr;
    }
}
