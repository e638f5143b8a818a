package io.kedge.tunnel;

/** The kinds of frame, with their codes on the wire. */
public enum FrameType {
    OPEN(1, false),
    OPENED(2, false),
    DATA(3, false),
    WINDOW_UPDATE(4, false),
    CLOSE(5, false),
    RESET(6, false),
    PING(7, true),
    PONG(8, true),
    GOAWAY(9, true);

    private static final FrameType[] BY_CODE = new FrameType[10];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final boolean connectionLevel;

    FrameType(int code, boolean connectionLevel) {
        this.code = code;
        this.connectionLevel = connectionLevel;
    }

    public int code() {
        return code;
    }

    /** Connection frames travel on stream 0; all others on a stream of their own. */
    public boolean connectionLevel() {
        return connectionLevel;
    }

    static FrameType ofCode(int code) {
        if (code <= 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new TunnelProtocolException("unknown frame type " + code);
        }
        return BY_CODE[code];
    }
}
