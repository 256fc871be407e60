# expect: redis_configs maxmemory-policy must be a Redis eviction policy
redis_configs = { "maxmemory-policy" = "evict-everything" }
