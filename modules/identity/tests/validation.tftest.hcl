# Input validation cases: the whole module is planned against a mocked google provider.
# pass_* runs must plan; fail_* runs change one input and must be rejected by the validation of
# the variable in expect_failures.
# expect_failures cannot check the message, so the expected one is kept as a comment.

mock_provider "google" {}

# Valid required inputs (production-like); each run changes at most what it names.
variables {
  project_id    = "kv-api-prod"
  workload_pool = "kv-api-prod.svc.id.goog"
  gitlab        = { project_id = "48151623", project_path = "platform/kv-api" }
}

# gitlab.com issuer, protected refs only, kv-api/kv-api workload with redis.dbConnectionUser.
run "pass_defaults" {
  command = plan
}

run "pass_self_managed_gitlab" {
  command = plan

  variables {
    gitlab = {
      issuer_uri          = "https://gitlab.example.com"
      allowed_audiences   = ["https://gitlab.example.com"]
      project_id          = "48151623"
      project_path        = "platform/services/kv-api"
      protected_refs_only = false
    }
  }
}

# expect: The CI service account must not hold owner, editor or token-creator roles.
run "fail_ci_owner" {
  command = plan

  variables {
    ci_service_account = { project_roles = ["roles/owner"] }
  }

  expect_failures = [var.ci_service_account]
}

# expect: gitlab.issuer_uri must be an https URL.
run "fail_http_issuer" {
  command = plan

  variables {
    gitlab = { project_id = "48151623", project_path = "platform/kv-api", issuer_uri = "http://gitlab.com" }
  }

  expect_failures = [var.gitlab]
}

# expect: workload.namespace and workload.service_account must be valid Kubernetes names.
run "fail_namespace" {
  command = plan

  variables {
    workload = { namespace = "KV_API" }
  }

  expect_failures = [var.workload]
}

# expect: gitlab.project_path must be a full GitLab project path
run "fail_project_path" {
  command = plan

  variables {
    gitlab = { project_id = "48151623", project_path = "kv-api" }
  }

  expect_failures = [var.gitlab]
}

# expect: workload_pool must look like PROJECT.svc.id.goog.
run "fail_workload_pool" {
  command = plan

  variables {
    workload_pool = "kv-api-prod"
  }

  expect_failures = [var.workload_pool]
}

# expect: gitlab.project_id must be the numeric GitLab project id
run "fail_project_id_not_numeric" {
  command = plan

  variables {
    gitlab = { project_id = "platform/kv-api", project_path = "platform/kv-api" }
  }

  expect_failures = [var.gitlab]
}

# expect: gitlab.branches must list at least one branch name
run "fail_no_branch" {
  command = plan

  variables {
    gitlab = { project_id = "48151623", project_path = "platform/kv-api", branches = [] }
  }

  expect_failures = [var.gitlab]
}

# expect: gitlab.pipeline_sources must list GitLab pipeline sources
run "fail_pipeline_source" {
  command = plan

  variables {
    gitlab = { project_id = "48151623", project_path = "platform/kv-api", pipeline_sources = ["fork"] }
  }

  expect_failures = [var.gitlab]
}

# expect: gitlab.pool_id and gitlab.provider_id must be 4-32 lowercase letters, digits or hyphens.
run "fail_pool_id" {
  command = plan

  variables {
    gitlab = { project_id = "48151623", project_path = "platform/kv-api", pool_id = "GL" }
  }

  expect_failures = [var.gitlab]
}

# expect: The workload service account must not hold basic roles (owner/editor).
run "fail_workload_editor" {
  command = plan

  variables {
    workload = { project_roles = ["roles/editor"] }
  }

  expect_failures = [var.workload]
}
