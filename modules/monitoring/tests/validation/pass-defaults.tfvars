# Defaults: 99.99% / 99.9% over 30 days, four SRE-workbook tiers, no Redis alerts.
