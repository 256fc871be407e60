# expect: slo.rolling_period_days must be an integer between 1 and 30.
slo = { rolling_period_days = 90 }
