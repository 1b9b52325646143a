"""IAM: access patterns as data, grants, and the roles that carry them."""
