# The production inputs with module defaults.
