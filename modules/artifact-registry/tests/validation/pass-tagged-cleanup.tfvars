cleanup = { dry_run = false, keep_recent = 10, delete_tagged_older_than = "7776000s" }
