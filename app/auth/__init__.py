"""Staff sign-in, roles, API tokens and the audit log."""
