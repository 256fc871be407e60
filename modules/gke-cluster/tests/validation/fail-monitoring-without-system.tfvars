# expect: SYSTEM_COMPONENTS is required whenever any logging or monitoring component is enabled.
observability = { monitoring_components = ["POD"] }
