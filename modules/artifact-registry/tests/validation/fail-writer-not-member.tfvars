# expect: writers must be IAM members such as serviceAccount:EMAIL
writers = ["gitlab-ci@kv-api-prod.iam.gserviceaccount.com"]
