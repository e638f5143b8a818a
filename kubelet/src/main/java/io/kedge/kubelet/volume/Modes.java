package io.kedge.kubelet.volume;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Unix permission bits to and from Java's permission sets. */
final class Modes {
    private static final PosixFilePermission[] BY_BIT = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    static final int DEFAULT_FILE_MODE = 0644;

    private Modes() {
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BY_BIT.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                out.add(BY_BIT[bit]);
            }
        }
        return out;
    }

    static int mode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (int bit = 0; bit < BY_BIT.length; bit++) {
            if (perms.contains(BY_BIT[bit])) {
                mode |= 1 << bit;
            }
        }
        return mode;
    }

    /** An API mode field (decimal in JSON, e.g. 420 for 0644), or the fallback when unset. */
    static int orDefault(Integer mode, int fallback) {
        return mode == null ? fallback : mode & 0777;
    }
}
