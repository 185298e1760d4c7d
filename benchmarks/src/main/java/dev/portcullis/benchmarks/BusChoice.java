package dev.portcullis.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.jdbc.PostgresRevocationBus;
import dev.portcullis.memory.InMemoryRevocationBus;
import dev.portcullis.redis.RedisRevocationBus;
import dev.portcullis.spi.RevocationBus;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;

/** The revocation bus of the load server's {@code /bus} context, and what to close after it. */
record BusChoice(String name, RevocationBus bus, List<AutoCloseable> resources) implements AutoCloseable {

    static BusChoice fromEnvironment() {
        String pg = System.getenv("PORTCULLIS_TEST_POSTGRES_URL");
        String redis = System.getenv("PORTCULLIS_TEST_REDIS_URL");
        List<AutoCloseable> resources = new ArrayList<>();
        String channel = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (pg != null && !pg.isBlank()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(pg);
            config.setMaximumPoolSize(2);
            config.setPoolName("bench-bus");
            HikariDataSource ds = new HikariDataSource(config);
            PostgresRevocationBus bus = PostgresRevocationBus.builder(ds).channel(channel).start();
            resources.add(bus);
            resources.add(ds);
            return new BusChoice("PostgreSQL", bus, resources);
        }
        if (redis != null && !redis.isBlank()) {
            URI uri = URI.create(redis);
            JedisPooled client = new JedisPooled(uri);
            RedisRevocationBus bus = RedisRevocationBus.builder(client, uri).channel(channel).start();
            resources.add(bus);
            resources.add(client);
            return new BusChoice("Redis", bus, resources);
        }
        return new BusChoice("in-JVM bus: no PostgreSQL or Redis configured", new InMemoryRevocationBus(), resources);
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // shutting down
            }
        }
    }
}
