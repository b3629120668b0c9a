"""The demo centre that `seed-demo` makes: its zones, institutions, advisers, needs and rules."""
