# expect: With dynamic port allocation, endpoint-independent mapping must be off
nat_config = { min_ports_per_vm = 100 }
