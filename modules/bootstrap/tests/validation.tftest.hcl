# Input validation cases: the whole module is planned against a mocked google provider.
# fail_* runs change one input and must be rejected by the validation of the variable in
# expect_failures (the expected message is kept as a comment).

mock_provider "google" {}

variables {
  project_id = "kv-api-prod"
  state      = { project_id = "kv-api-tfstate", bucket = "kv-api-tfstate-prod" }
}

run "pass_defaults" {
  command = plan
}

# expect: project_id must be a valid project id
run "fail_project_id" {
  command = plan

  variables {
    project_id = "kv"
  }

  expect_failures = [var.project_id]
}

# expect: state.bucket must be a bucket name of 3-63 lowercase letters
run "fail_bucket_name" {
  command = plan

  variables {
    state = { project_id = "kv-api-tfstate", bucket = "Google-State" }
  }

  expect_failures = [var.state]
}

# expect: state.retained_versions must be an integer >= 1
run "fail_no_retained_version" {
  command = plan

  variables {
    state = { project_id = "kv-api-tfstate", bucket = "kv-api-tfstate-prod", retained_versions = 0 }
  }

  expect_failures = [var.state]
}
