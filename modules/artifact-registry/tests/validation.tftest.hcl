# Input validation cases: the whole module is planned against a mocked google provider.
# pass_* runs must plan; fail_* runs change one input and must be rejected by the validation of
# the variable in expect_failures.
# expect_failures cannot check the message, so the expected one is kept as a comment.

mock_provider "google" {}

# Valid required inputs (production-like); each run changes at most what it names.
variables {
  project_id = "kv-api-prod"
  location   = "europe-west1"
  name       = "kv-api"
  readers    = ["serviceAccount:kv-api-prod-nodes@kv-api-prod.iam.gserviceaccount.com"]
  writers    = ["serviceAccount:gitlab-ci@kv-api-prod.iam.gserviceaccount.com"]
}

# Immutable tags, dry-run cleanup keeping 30 versions.
run "pass_defaults" {
  command = plan
}

run "pass_tagged_cleanup" {
  command = plan

  variables {
    cleanup = { dry_run = false, keep_recent = 10, delete_tagged_older_than = "7776000s" }
  }
}

# expect: cleanup durations must be whole seconds such as 604800s.
run "fail_duration" {
  command = plan

  variables {
    cleanup = { delete_untagged_older_than = "7d" }
  }

  expect_failures = [var.cleanup]
}

# expect: cleanup.keep_recent must be an integer >= 1
run "fail_keep_zero" {
  command = plan

  variables {
    cleanup = { keep_recent = 0 }
  }

  expect_failures = [var.cleanup]
}

# expect: name must start with a letter
run "fail_name" {
  command = plan

  variables {
    name = "1-images"
  }

  expect_failures = [var.name]
}

# expect: readers must be IAM members such as serviceAccount:EMAIL
run "fail_public_reader" {
  command = plan

  variables {
    readers = ["allUsers"]
  }

  expect_failures = [var.readers]
}

# expect: writers must be IAM members such as serviceAccount:EMAIL
run "fail_writer_not_member" {
  command = plan

  variables {
    writers = ["gitlab-ci@kv-api-prod.iam.gserviceaccount.com"]
  }

  expect_failures = [var.writers]
}

# expect: cache_repository.name must start with a letter
run "fail_cache_name" {
  command = plan

  variables {
    cache_repository = { name = "Cache" }
  }

  expect_failures = [var.cache_repository]
}

# expect: cache_repository.delete_older_than must be whole seconds
run "fail_cache_duration" {
  command = plan

  variables {
    cache_repository = { name = "kv-api-cache", delete_older_than = "14d" }
  }

  expect_failures = [var.cache_repository]
}

# expect: cache_repository.name must differ from name
run "fail_cache_same_name" {
  command = plan

  variables {
    cache_repository = { name = "kv-api" }
  }

  expect_failures = [var.cache_repository]
}

# expect: kms_key_name must be a Cloud KMS key name
run "fail_kms_key_name" {
  command = plan

  variables {
    kms_key_name = "registry-key"
  }

  expect_failures = [var.kms_key_name]
}
