# expect: slo goals must be ratios strictly between 0 and 1
slo = { availability_goal = 99.99 }
