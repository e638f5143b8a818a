/**
 * The kubelet's Events (core/v1), as {@code kubectl describe} and {@code kubectl get events} show
 * them: recorded without blocking the pod workers, aggregated (a repeat raises the count of the
 * event it repeats), rate-limited per object, and posted through the node's client, so the hub
 * journals them while the cloud is unreachable. {@link io.kedge.kubelet.events.EventRecorder} is
 * the entry point.
 */
package io.kedge.kubelet.events;
