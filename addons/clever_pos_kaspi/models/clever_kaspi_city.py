from odoo import api, fields, models


class CleverKaspiCity(models.Model):
    """A city as Kaspi knows it: the `cityId` of the feed (a KATO code, spec section 1.5)."""

    _name = "clever.kaspi.city"
    _description = "Kaspi city"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        string="Kaspi city id", required=True, help="The cityId Kaspi uses for this city, e.g. 750000000 for Almaty."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint("UNIQUE(code)", "A Kaspi city with this id already exists.")
    _code_digits = models.Constraint("CHECK(code ~ '^[0-9]{1,12}$')", "A Kaspi city id is made of digits only.")

    @api.depends("name", "code")
    def _compute_display_name(self):
        for city in self:
            city.display_name = f"{city.name} ({city.code})" if city.code else city.name
