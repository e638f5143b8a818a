package io.kedge.hub;

import io.kedge.api.ApiException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;

/**
 * Names for objects created on the node with {@code metadata.generateName} while the cloud is
 * unreachable. The journal replays such an object under the name it got here, so that a second
 * replay is refused as a duplicate; two journaled objects must therefore never share a name, or
 * the later one would be dropped as a "duplicate" of the earlier. Names follow the API server's
 * pattern (the prefix, cut to 58 characters, and 5 characters without vowels), and a name the
 * hub already holds is drawn again, as the API server does on a collision.
 */
final class GeneratedNames {
    private static final String CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int SUFFIX = 5;
    private static final int MAX_PREFIX = 63 - SUFFIX;
    private static final int ATTEMPTS = 16;

    /** Gives a number in [0, bound). */
    private final IntUnaryOperator random;

    GeneratedNames() {
        this(bound -> ThreadLocalRandom.current().nextInt(bound));
    }

    GeneratedNames(IntUnaryOperator random) {
        this.random = random;
    }

    /** A name made from {@code prefix} that {@code taken} does not hold. */
    String next(String prefix, Predicate<String> taken) {
        String base = prefix.length() > MAX_PREFIX ? prefix.substring(0, MAX_PREFIX) : prefix;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            StringBuilder name = new StringBuilder(base);
            for (int i = 0; i < SUFFIX; i++) {
                name.append(CHARS.charAt(random.applyAsInt(CHARS.length())));
            }
            if (!taken.test(name.toString())) {
                return name.toString();
            }
        }
        throw ApiException.of(409, "AlreadyExists", "the " + ATTEMPTS + " names the hub generated from the prefix '" + base
                + "' are all taken on this node; retry the create");
    }
}
