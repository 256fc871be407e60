# expect: cleanup.keep_recent must be an integer >= 1
cleanup = { keep_recent = 0 }
