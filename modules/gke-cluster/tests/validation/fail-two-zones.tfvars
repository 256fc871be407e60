# expect: node_locations must list at least three distinct zones.
node_locations = ["europe-west1-b", "europe-west1-c"]
