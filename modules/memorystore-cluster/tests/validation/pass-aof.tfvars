persistence   = { mode = "AOF", aof = { append_fsync = "EVERYSEC" } }
replica_count = 2
