# Defaults: 3 shards, 1 replica, RDB hourly, IAM auth, noeviction, Sunday 03:00.
