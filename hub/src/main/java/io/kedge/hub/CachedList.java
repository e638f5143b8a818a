package io.kedge.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A list answered from the cache.
 *
 * @param source which entry answered: this client's shape, another client's, or objects filtered by the shape
 */
record CachedList(String kind, String apiVersion, String resourceVersion, List<ObjectNode> items, Source source) {
    enum Source { CLIENT_SHAPE, OTHER_CLIENT_SHAPE, FILTERED_OBJECTS }
}
