import os

# NumPy (mentor matching) starts a pool of OpenBLAS threads at import, in every web process,
# worker and beat (Celery's Django checks import the URL conf, so the views). Huddle's
# matrices are small and each process serves one request at a time: one BLAS thread is
# enough, and the pool made celery beat hang on a Ctrl-C that came while it started.
# Set before anything imports NumPy; an operator's own value wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# Load the Celery app whenever Django starts, so that `delay_on_commit` uses our configuration.
from config.celery import app as celery_app  # noqa: E402

__all__ = ("celery_app",)
