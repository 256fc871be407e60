# expect: psc_subnet.ip_cidr_range must be /28 or larger
psc_subnet = { ip_cidr_range = "10.10.16.0/29" }
