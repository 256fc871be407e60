# expect: shard_count must be an integer between 1 and 250.
shard_count = 0
