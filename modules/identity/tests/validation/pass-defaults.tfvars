# gitlab.com issuer, protected refs only, kv-api/kv-api workload with redis.dbConnectionUser.
