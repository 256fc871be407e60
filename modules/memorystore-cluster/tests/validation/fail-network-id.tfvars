# expect: network must be a network id
network = "https://www.googleapis.com/compute/v1/projects/kv-api-prod/global/networks/kv-api"
