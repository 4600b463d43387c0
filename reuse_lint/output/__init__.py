"""Output formats: text for people, JSON, SARIF and GitHub for machines."""
