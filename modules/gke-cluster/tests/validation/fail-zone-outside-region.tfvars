# expect: Every zone in node_locations must belong to var.region.
node_locations = ["europe-west1-b", "europe-west1-c", "europe-west4-a"]
