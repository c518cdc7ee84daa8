"""Writes of training, one module per concern: `progress` (steps and completion), `tracks`
(the editor), `learning` (enrolling, quizzes), `assignments`, `sessions`, `crosstraining`."""
