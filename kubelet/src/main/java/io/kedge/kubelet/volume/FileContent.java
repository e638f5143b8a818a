package io.kedge.kubelet.volume;

import java.util.Arrays;

/** One file of a volume's payload: its bytes and its permission bits (e.g. 0644). */
public record FileContent(byte[] data, int mode) {
    public FileContent {
        data = data.clone();
        mode = mode & 0777;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    boolean sameAs(byte[] otherData, int otherMode) {
        return mode == (otherMode & 0777) && Arrays.equals(data, otherData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileContent f && f.sameAs(data, mode);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + mode;
    }

    @Override
    public String toString() {
        return "FileContent[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
}
