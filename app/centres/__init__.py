"""The network's centres: a centre's own facts (names, address, phone, hours, directions,
privacy officer) and which centre a request is for."""
