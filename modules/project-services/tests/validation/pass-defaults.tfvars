# The default API list is accepted.
