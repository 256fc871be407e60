# expect: persistence.aof.append_fsync must be NO, EVERYSEC or ALWAYS.
persistence = { mode = "AOF", aof = { append_fsync = "SOMETIMES" } }
