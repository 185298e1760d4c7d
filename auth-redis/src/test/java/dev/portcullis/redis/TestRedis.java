package dev.portcullis.redis;

import dev.portcullis.testkit.ExternalService;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The local Redis (PORTCULLIS_TEST_REDIS_URL) for one test class, with a key prefix per test and cleaning. */
final class TestRedis implements AutoCloseable {

    private final URI uri;
    private final JedisPooled client;

    private TestRedis() {
        this.uri = URI.create(ExternalService.redisUrl());
        this.client = new JedisPooled(uri);
    }

    /** Skips (or under CI=true fails) when Redis is not there. */
    static TestRedis connect() {
        return new TestRedis();
    }

    URI uri() {
        return uri;
    }

    JedisPooled client() {
        return client;
    }

    static String newPrefix() {
        return "portcullis-test:" + UUID.randomUUID() + ":";
    }

    List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        ScanParams match = new ScanParams().match(prefix + "*").count(500);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, match);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    void deleteKeys(String prefix) {
        List<String> keys = keys(prefix);
        if (!keys.isEmpty()) {
            client.del(keys.toArray(String[]::new));
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
