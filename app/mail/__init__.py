"""Mail: composing messages, the outbox they wait in, and their delivery."""
