# expect: replica_count must be 1 or 2
replica_count = 0
