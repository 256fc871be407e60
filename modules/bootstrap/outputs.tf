output "state_bucket" {
  description = "Name of the state bucket, for terragrunt.hcl remote_state (env.hcl state_bucket)."
  value       = google_storage_bucket.state.name
}

output "services" {
  description = "APIs enabled in the environment's project."
  value       = module.services.services
}
