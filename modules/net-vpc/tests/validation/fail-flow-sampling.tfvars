# expect: subnet.flow_logs.flow_sampling must be in (0, 1].
subnet = {
  ip_cidr_range = "10.10.0.0/20"
  secondary_ip_ranges = {
    pods     = { ip_cidr_range = "10.16.0.0/14" }
    services = { ip_cidr_range = "10.20.0.0/20" }
  }
  flow_logs = { flow_sampling = 0 }
}
