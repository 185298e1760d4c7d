/** Portcullis stores and the revocation bus on Redis, through Jedis. */
module dev.portcullis.redis {
    requires transitive dev.portcullis.core;
    requires transitive redis.clients.jedis;

    exports dev.portcullis.redis;
}
