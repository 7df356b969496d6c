"""The Mensen en afspraken page: registration, people, exchange, agreements, follow-up, obstacles."""
