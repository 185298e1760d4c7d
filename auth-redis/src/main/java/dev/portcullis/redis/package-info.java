/**
 * Redis adapters: {@link dev.portcullis.redis.RedisSessionStore}, {@link dev.portcullis.redis.RedisAttemptStore},
 * {@link dev.portcullis.redis.RedisRememberMeStore} (every multi-key change one Lua script, so atomic on the
 * server) and {@link dev.portcullis.redis.RedisRevocationBus} (pub/sub). Every key starts with a per-application
 * prefix ({@link dev.portcullis.redis.RedisStores#on}), so applications can share one Redis. All keys of one
 * prefix must live on one Redis (standalone or a Sentinel-managed primary; not Redis Cluster).
 */
package dev.portcullis.redis;
