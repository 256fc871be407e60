# expect: persistence.mode must be DISABLED, RDB or AOF.
persistence = { mode = "SNAPSHOT" }
