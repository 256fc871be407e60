# expect: subnet ranges must be valid IPv4 CIDR blocks
subnet = {
  ip_cidr_range = "fd00::/64"
  secondary_ip_ranges = {
    pods     = { ip_cidr_range = "10.16.0.0/14" }
    services = { ip_cidr_range = "10.20.0.0/20" }
  }
}
