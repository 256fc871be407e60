# Immutable tags, dry-run cleanup keeping 30 versions.
