"""The adviser's side of a visit: agenda, availability, check-in, no-show, outcomes."""
