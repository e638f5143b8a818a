package io.kedge.apiserver.storage;

import java.nio.charset.StandardCharsets;

/**
 * A change as watchers see it. The watch-stream line is serialized at most once and the same
 * bytes go to every watcher.
 */
public final class CacheEvent {
    public enum Type { ADDED, MODIFIED, DELETED }

    private final Type type;
    private final CachedObject object;
    private final CachedObject previous;
    private final long revision;
    private final long nanoTime;
    private volatile byte[] line;

    public CacheEvent(Type type, CachedObject object, CachedObject previous, long revision) {
        this.type = type;
        this.object = object;
        this.previous = previous;
        this.revision = revision;
        this.nanoTime = System.nanoTime();
    }

    public Type type() { return type; }
    public CachedObject object() { return object; }
    public CachedObject previous() { return previous; }
    public long revision() { return revision; }
    long nanoTime() { return nanoTime; }

    /** {@code {"type":"…","object":…}} followed by a newline. */
    public byte[] line() {
        byte[] l = line;
        if (l == null) {
            l = encode(type.name(), object.json());
            line = l;
        }
        return l;
    }

    public static byte[] encode(String type, byte[] objectJson) {
        byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + objectJson.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(objectJson, 0, out, head.length, objectJson.length);
        out[out.length - 2] = '}';
        out[out.length - 1] = '\n';
        return out;
    }
}
