package io.kedge.apiserver.handlers;

import io.kedge.apiserver.http.RequestMetrics;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.apiserver.storage.CacheHub;
import java.time.Clock;

/** What every handler shares: the served types, the registry, the caches, metrics and the clock. */
public record ApiContext(ResourceTypes types, GenericRegistry registry, CacheHub hub, RequestMetrics metrics,
                         Clock clock, FieldCheck fieldCheck) {
}
