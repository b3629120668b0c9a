"""Statistics: the figures, their rollup, the dashboard, exports, the import and the digest."""
