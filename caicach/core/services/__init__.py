"""Every write in core, one module per area: transactional, audited."""
