# expect: persistence.rdb may only be set with mode RDB, and persistence.aof only with mode AOF.
persistence = { mode = "AOF", rdb = { snapshot_period = "ONE_HOUR" } }
