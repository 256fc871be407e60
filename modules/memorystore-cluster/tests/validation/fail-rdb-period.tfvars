# expect: persistence.rdb.snapshot_period must be ONE_HOUR, SIX_HOURS, TWELVE_HOURS or TWENTY_FOUR_HOURS.
persistence = { mode = "RDB", rdb = { snapshot_period = "HOURLY" } }
