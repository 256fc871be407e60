# expect: Exclusion scope must be NO_UPGRADES, NO_MINOR_UPGRADES or NO_MINOR_OR_NODE_UPGRADES.
maintenance_config = {
  exclusions = [{ name = "peak", start_time = "2025-11-20T00:00:00Z", end_time = "2025-12-02T00:00:00Z", scope = "ALL" }]
}
