/**
 * EdgeTunnel: one long-lived outbound connection from an edge node's agent to a server, carrying
 * many TCP-like streams with per-stream flow control. The wire format is documented in the
 * module's {@code PROTOCOL.md}; in short, 9-byte frame headers (type, stream id, length) with
 * {@code OPEN}, {@code OPENED}, {@code DATA}, {@code WINDOW_UPDATE}, {@code CLOSE}, {@code RESET},
 * {@code PING}, {@code PONG} and {@code GOAWAY} frames.
 *
 * <p>The agent side is {@link io.kedge.tunnel.TunnelClient}; the server side installs a
 * {@link io.kedge.tunnel.TunnelSession} on an upgraded connection with
 * {@link io.kedge.tunnel.TunnelProtocol#installServer} and opens {@link io.kedge.tunnel.StreamChannel}s
 * through it.
 */
package io.kedge.tunnel;
