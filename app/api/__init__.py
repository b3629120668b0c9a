"""The JSON API v1 over the same services and forms as the pages (see API.md)."""
