"""The admin's side: management, statistics, imports, and the demo centre."""
