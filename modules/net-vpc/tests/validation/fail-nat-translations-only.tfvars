# expect: nat_config.log_filter must be ERRORS_ONLY or ALL
nat_config = { log_filter = "TRANSLATIONS_ONLY" }
