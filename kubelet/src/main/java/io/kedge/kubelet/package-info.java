/**
 * The edge node's kubelet: it registers the node, renews its Lease, and runs the pods bound to
 * the node as real containers through CRI on containerd.
 */
package io.kedge.kubelet;
