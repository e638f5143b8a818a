package io.kedge.hub;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What makes two local watches one upstream watch: the list shape (resource, namespace, canonical
 * selectors) and every other query parameter that changes what the cloud sends. Left out are the
 * parameters each client keeps for itself: where it starts ({@code resourceVersion}, see
 * {@link SharedWatch}), when it ends ({@code timeoutSeconds}) and whether it wants bookmarks (the
 * shared upstream always asks for them and passes them only to the clients that did).
 * The credentials are the node's for every request, so they never differ.
 */
record WatchKey(ListShape shape, String query) {
    private static final Set<String> PER_CLIENT = Set.of("watch", "resourceVersion", "timeoutSeconds", "allowWatchBookmarks",
            "labelSelector", "fieldSelector");

    /**
     * The key of a watch that can be shared, or null for one that gets an upstream watch of its own:
     * a watch-list ({@code sendInitialEvents}, whose initial events and end marker belong to one client),
     * a watch asked for in another form than JSON (Tables), or one that impersonates someone.
     */
    static WatchKey of(HubRequest request, ApiPath path) {
        if (path.param("sendInitialEvents") != null || path.param("resourceVersionMatch") != null) {
            return null;
        }
        for (Map.Entry<String, List<String>> h : ApiHandler.jsonOnly(request.headers()).entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("impersonate-") || name.equals("accept") && !h.getValue().stream().allMatch(WatchKey::plainJson)) {
                return null;
            }
        }
        TreeMap<String, List<String>> rest = new TreeMap<>(path.query());
        rest.keySet().removeAll(PER_CLIENT);
        return new WatchKey(ListShape.of(path), rest.toString());
    }

    /** An Accept header that yields plain JSON watch events (no Table, no metadata-only form). */
    private static boolean plainJson(String accept) {
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!type.equals("application/json") && !type.equals("*/*") && !type.equals("application/*")) {
                return false;
            }
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim().toLowerCase(Locale.ROOT);
                if (!param.startsWith("q=") && !param.startsWith("charset=") && !param.equals("stream=watch")) {
                    return false;
                }
            }
        }
        return true;
    }
}
