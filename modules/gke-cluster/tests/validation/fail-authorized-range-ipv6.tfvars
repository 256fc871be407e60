# expect: authorized_ranges values must be IPv4 CIDR blocks
access_config = {
  ip_endpoint = { authorized_ranges = { office = "2001:db8::/32" } }
}
