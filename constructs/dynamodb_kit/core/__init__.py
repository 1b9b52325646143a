"""Small modules every construct shares: the error type, the checked edge,
AWS identifier shapes, the stack's identity, the provider and the fast import."""
