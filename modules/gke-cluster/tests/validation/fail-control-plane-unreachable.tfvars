# expect: Leave at least one way to the control plane
access_config = {
  dns_endpoint = { allow_external_traffic = false }
  ip_endpoint  = { enabled = false }
}
