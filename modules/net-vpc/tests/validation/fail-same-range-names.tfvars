# expect: The pods and services secondary ranges need different names.
subnet = {
  ip_cidr_range = "10.10.0.0/20"
  secondary_ip_ranges = {
    pods     = { name = "ranges", ip_cidr_range = "10.16.0.0/14" }
    services = { name = "ranges", ip_cidr_range = "10.20.0.0/20" }
  }
}
