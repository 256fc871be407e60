# Production-like inputs with module defaults (maintenance window, access, observability).
