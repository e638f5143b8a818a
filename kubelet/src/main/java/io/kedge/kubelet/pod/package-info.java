/**
 * The pod workers: they make containerd run the pods bound to this node, through CRI, and report
 * what runs in the pods' status. {@link io.kedge.kubelet.pod.PodSync} is the entry point. The
 * runtime is the record of what runs: a restarted agent finds (and keeps) its containers by their
 * CRI labels, so nothing about a running pod needs to be kept elsewhere.
 */
package io.kedge.kubelet.pod;
