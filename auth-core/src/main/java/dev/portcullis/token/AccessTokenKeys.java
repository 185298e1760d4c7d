package dev.portcullis.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The access-token key set: one active key that signs new tokens, and older (or not yet active)
 * keys that still verify. Thread-safe: readers see a consistent snapshot, changes are atomic.
 *
 * <p>Rotation without refusing a single valid token:
 * <ol>
 *   <li>{@link #add} the next key: it is published in the JWKS and verifies, but does not sign
 *       yet, so verifiers that cache the JWKS can pick it up first;</li>
 *   <li>{@link #activate} it once caches have refreshed: new tokens carry its {@code kid};</li>
 *   <li>{@link #retire} the old key once the longest access-token lifetime (plus clock skew) has
 *       passed: tokens it signed are refused from then on, including ones already cached as
 *       verified.</li>
 * </ol>
 * {@link #rotateTo} does steps 1 and 2 at once, for single-node setups where nothing caches the
 * JWKS. On several nodes, every node must see the same key set (load it from shared
 * configuration); this class holds it, it does not distribute it.
 */
public final class AccessTokenKeys {

    private record State(String activeKeyId, Map<String, SigningKey> keys, String jwksJson) {

        static State of(String activeKeyId, Map<String, SigningKey> keys) {
            List<JWK> published = new ArrayList<>();
            keys.values().forEach(k -> k.publicJwk().ifPresent(published::add));
            // JWKSet.toString() renders public parameters only: a second guard besides publicJwk().
            return new State(activeKeyId, Collections.unmodifiableMap(new LinkedHashMap<>(keys)),
                    new JWKSet(published).toString(true));
        }
    }

    private volatile State state;

    private AccessTokenKeys(State state) {
        this.state = state;
    }

    /** A key set signing with {@code active}; {@code verifyOnly} keys still verify (e.g. the previous key). */
    public static AccessTokenKeys of(SigningKey active, SigningKey... verifyOnly) {
        Objects.requireNonNull(active, "active");
        Map<String, SigningKey> keys = new LinkedHashMap<>();
        keys.put(active.keyId(), active);
        for (SigningKey k : verifyOnly) {
            Objects.requireNonNull(k, "verifyOnly key");
            if (keys.putIfAbsent(k.keyId(), k) != null) {
                throw new IllegalArgumentException("duplicate key id " + k.keyId());
            }
        }
        return new AccessTokenKeys(State.of(active.keyId(), keys));
    }

    /** The key that signs new tokens. */
    public SigningKey active() {
        State s = state;
        return s.keys.get(s.activeKeyId);
    }

    /** Every key id that verifies, the active one first. */
    public List<String> keyIds() {
        State s = state;
        List<String> ids = new ArrayList<>();
        ids.add(s.activeKeyId);
        s.keys.keySet().stream().filter(id -> !id.equals(s.activeKeyId)).forEach(ids::add);
        return List.copyOf(ids);
    }

    /** Adds a key that verifies and is published, without signing yet. A key id may be used once. */
    public synchronized void add(SigningKey key) {
        Objects.requireNonNull(key, "key");
        State s = state;
        if (s.keys.containsKey(key.keyId())) {
            throw new IllegalArgumentException("key id " + key.keyId() + " is already in the set");
        }
        Map<String, SigningKey> keys = new LinkedHashMap<>(s.keys);
        keys.put(key.keyId(), key);
        state = State.of(s.activeKeyId, keys);
    }

    /** Makes an added key the one that signs; the previous active key keeps verifying. */
    public synchronized void activate(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        State s = state;
        if (!s.keys.containsKey(keyId)) {
            throw new IllegalArgumentException("no key " + keyId + " in the set; add it first");
        }
        state = State.of(keyId, s.keys);
    }

    /** {@link #add} then {@link #activate}. */
    public synchronized void rotateTo(SigningKey key) {
        add(key);
        activate(key.keyId());
    }

    /**
     * Removes a key: tokens it signed stop verifying at once. The active key cannot be retired.
     *
     * @return whether the key was in the set
     */
    public synchronized boolean retire(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        State s = state;
        if (keyId.equals(s.activeKeyId)) {
            throw new IllegalArgumentException("key " + keyId + " signs new tokens; activate another before retiring it");
        }
        if (!s.keys.containsKey(keyId)) {
            return false;
        }
        Map<String, SigningKey> keys = new LinkedHashMap<>(s.keys);
        keys.remove(keyId);
        state = State.of(s.activeKeyId, keys);
        return true;
    }

    /**
     * The JSON Web Key Set (RFC 7517) of the public keys, for {@code /.well-known/jwks.json}:
     * {@code kty}, {@code kid}, {@code alg}, {@code use} and the public parameters. HMAC keys and
     * private parameters never appear.
     */
    public String jwksJson() {
        return state.jwksJson;
    }

    Optional<SigningKey> find(String keyId) {
        return Optional.ofNullable(state.keys.get(keyId));
    }
}
