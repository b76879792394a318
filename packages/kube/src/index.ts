// Public API: filled in by this package's own issue.
export {};
