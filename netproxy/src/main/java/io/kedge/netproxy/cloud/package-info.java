/**
 * Cloud Services from the edge: a Service whose endpoints run on cloud nodes is reached through a
 * local listener per Service port, whose connections become {@code service/...} streams that the
 * agent opens through its tunnel; the server dials a cloud endpoint at the far end. Nothing
 * listens for the cloud at the edge, and nothing from the cloud connects in.
 */
package io.kedge.netproxy.cloud;
