# expect: Kube state, kubelet and cAdvisor metrics need features.managed_prometheus.
features = { managed_prometheus = false }
