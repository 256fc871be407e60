gitlab = {
  issuer_uri          = "https://gitlab.example.com"
  allowed_audiences   = ["https://gitlab.example.com"]
  project_path        = "platform/services/kv-api"
  protected_refs_only = false
}
