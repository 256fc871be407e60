# expect: cleanup durations must be whole seconds such as 604800s.
cleanup = { delete_untagged_older_than = "7d" }
