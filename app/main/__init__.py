"""The home page and what every page shares: errors, security headers, filters."""
