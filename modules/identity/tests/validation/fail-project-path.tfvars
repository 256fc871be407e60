# expect: gitlab.project_path must be a full GitLab project path
gitlab = { project_path = "kv-api" }
