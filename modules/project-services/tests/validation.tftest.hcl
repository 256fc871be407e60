# Input validation cases: the whole module is planned against a mocked google provider.
# pass_* runs must plan; fail_* runs change one input and must be rejected by the validation of
# the variable in expect_failures.
# expect_failures cannot check the message, so the expected one is kept as a comment.

mock_provider "google" {}

# Valid required inputs (production-like); each run changes at most what it names.
variables {
  project_id = "kv-api-prod"
}

# The default API list is accepted.
run "pass_defaults" {
  command = plan
}

# expect: services must not contain duplicates.
run "fail_duplicate" {
  command = plan

  variables {
    services = ["redis.googleapis.com", "redis.googleapis.com"]
  }

  expect_failures = [var.services]
}

# expect: Each service must be a full service name ending in .googleapis.com.
run "fail_not_a_service" {
  command = plan

  variables {
    services = ["container"]
  }

  expect_failures = [var.services]
}

# expect: project_id must be a valid project id
run "fail_project_id" {
  command = plan

  variables {
    project_id = "Bad_Project"
  }

  expect_failures = [var.project_id]
}
