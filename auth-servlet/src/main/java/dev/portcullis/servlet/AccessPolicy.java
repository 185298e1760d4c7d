package dev.portcullis.servlet;

import dev.portcullis.model.CurrentUser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies the {@link ProtectionRule}s: one pass over the rules per path decides both whether the
 * request may go on and whether its response must not be cached. A path must satisfy every rule
 * that matches it; public paths (and always the login and register pages) are exempt. Immutable
 * and thread-safe.
 */
final class AccessPolicy {

    enum Verdict { ALLOW, LOGIN_REQUIRED, ROLE_MISSING, MALFORMED }

    /**
     * @param noStore the response must carry {@code Cache-Control: no-store}: a rule protects the
     *                path (always true for a denial)
     */
    record Decision(Verdict verdict, boolean noStore) {
        static final Decision MALFORMED = new Decision(Verdict.MALFORMED, true);

        boolean allowed() {
            return verdict == Verdict.ALLOW;
        }
    }

    private final List<ProtectionRule> rules;
    private final List<PathPattern> publicPaths;

    AccessPolicy(AuthConfig config) {
        this.rules = config.protection().rules();
        List<PathPattern> exempt = new ArrayList<>();
        exempt.add(new PathPattern(RequestPaths.pathOnly(config.pages().login())));
        exempt.add(new PathPattern(RequestPaths.pathOnly(config.pages().register())));
        config.protection().publicPaths().forEach(p -> exempt.add(new PathPattern(p)));
        // The default pages and the endpoints beside them decide for themselves (e.g. /email needs a login).
        config.defaultPagesPath().ifPresent(mount -> exempt.add(new PathPattern(mount + "/*")));
        this.publicPaths = List.copyOf(exempt);
    }

    /** Every view of the path (as normalised, as the container maps it) must pass. */
    Decision decide(Optional<CurrentUser> user, List<String> paths) {
        boolean protectedPath = false;
        for (String path : paths) {
            if (isPublic(path)) {
                continue;
            }
            for (ProtectionRule rule : rules) {
                if (!rule.matches(path)) {
                    continue;
                }
                protectedPath = true;
                if (user.isEmpty()) {
                    return new Decision(Verdict.LOGIN_REQUIRED, true);
                }
                if (rule.role().isPresent() && !user.get().hasRole(rule.role().get())) {
                    return new Decision(Verdict.ROLE_MISSING, true);
                }
            }
        }
        return new Decision(Verdict.ALLOW, protectedPath);
    }

    private boolean isPublic(String path) {
        for (PathPattern p : publicPaths) {
            if (p.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
