output "secret_ids" {
  description = "Full secret ids (projects/P/secrets/S) by secret id: the remote references of the External Secrets."
  value       = { for k, s in google_secret_manager_secret.this : k => s.id }
}

output "accessors" {
  description = "The one IAM member that may read each secret, by secret id."
  value       = { for k, m in google_secret_manager_secret_iam_member.accessor : k => m.member }
}
