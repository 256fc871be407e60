# Input validation cases: the whole module is planned against a mocked google provider.
# fail_* runs change one input and must be rejected by the validation of the variable in
# expect_failures (the expected message is kept as a comment).

mock_provider "google" {}

variables {
  project_id = "kv-api-prod"
  secrets = {
    kv-api-api-keys = { member = "serviceAccount:kv-api@kv-api-prod.iam.gserviceaccount.com" }
  }
}

run "pass_defaults" {
  command = plan
}

# expect: project_id must be a valid project id
run "fail_project_id" {
  command = plan

  variables {
    project_id = "KV"
  }

  expect_failures = [var.project_id]
}

# expect: Secret ids must be 1-255 letters, digits, hyphens or underscores.
run "fail_secret_id" {
  command = plan

  variables {
    secrets = { "kv/api" = { member = "serviceAccount:kv-api@kv-api-prod.iam.gserviceaccount.com" } }
  }

  expect_failures = [var.secrets]
}

# expect: Each secret sets exactly one of member and kubernetes_service_account.
run "fail_two_accessors" {
  command = plan

  variables {
    secrets = { kv-api-api-keys = { member = "serviceAccount:kv-api@kv-api-prod.iam.gserviceaccount.com", kubernetes_service_account = { namespace = "kv-api", name = "kv-api" } } }
  }

  expect_failures = [var.secrets]
}

# expect: Each secret sets exactly one of member and kubernetes_service_account.
run "fail_no_accessor" {
  command = plan

  variables {
    secrets = { kv-api-api-keys = {} }
  }

  expect_failures = [var.secrets]
}

# expect: member must be one IAM member
run "fail_public_member" {
  command = plan

  variables {
    secrets = { kv-api-api-keys = { member = "allUsers" } }
  }

  expect_failures = [var.secrets]
}

# expect: kubernetes_service_account namespace and name must be valid Kubernetes names.
run "fail_ksa_name" {
  command = plan

  variables {
    secrets = { kv-api-api-keys = { kubernetes_service_account = { namespace = "Monitoring", name = "grafana" } } }
  }

  expect_failures = [var.secrets]
}

# expect: replication.locations must list at least one region
run "fail_no_location" {
  command = plan

  variables {
    replication = { locations = [] }
  }

  expect_failures = [var.replication]
}

# expect: replication.kms_key_name must be a Cloud KMS key name
run "fail_kms_key" {
  command = plan

  variables {
    replication = { kms_key_name = "secrets-key" }
  }

  expect_failures = [var.replication]
}
