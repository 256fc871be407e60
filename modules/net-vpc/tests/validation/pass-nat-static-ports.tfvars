# Without dynamic port allocation, min ports need not be a power of two.
nat_config = {
  enable_dynamic_port_allocation      = false
  enable_endpoint_independent_mapping = true
  min_ports_per_vm                    = 1000
}
