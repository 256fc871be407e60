output "state_bucket" {
  description = "Name of the state bucket."
  value       = module.bootstrap.state_bucket
}

output "services" {
  description = "APIs enabled in the environment's project."
  value       = module.bootstrap.services
}
