# expect: health_check_ingress needs at least one target tag and one port
health_check_ingress = { target_tags = [], ports = ["8080"] }
