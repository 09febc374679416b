import pytest


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    """Each test keeps its audit checkpoints in a file of its own."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    return settings.AUDIT_CHECKPOINT_FILE
