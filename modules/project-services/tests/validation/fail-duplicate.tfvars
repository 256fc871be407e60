# expect: services must not contain duplicates.
services = ["redis.googleapis.com", "redis.googleapis.com"]
