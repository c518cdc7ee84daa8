"""Forms of training, one module per area (editor, learning, team, sessions, crosstraining)."""
