import pytest

from dendrite.clinics.models import Location


@pytest.fixture
def clinic(boston: Location) -> Location:
    """Boston, with the inbox address staff e-mails go to."""
    boston.email = "boston-inbox@example.test"
    boston.save()
    return boston
