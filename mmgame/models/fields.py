"""Column shapes shared by the models."""

from django.db import models

# Quantities in the question's units are exact decimals: 10⁹ + 0.3 is not a double.
QUANTITY = {"max_digits": 36, "decimal_places": 20}


def quantity_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(**QUANTITY, **kwargs)
