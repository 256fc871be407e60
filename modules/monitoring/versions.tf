# google-beta is declared with the same pin because the root Terragrunt config
# generates a google-beta provider block for every unit: no unit resolves it unpinned.
terraform {
  required_version = ">= 1.9"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.50"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 6.50"
    }
  }
}
